/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for ukfd: a closed descriptor is EBADF, a full table is
 * EMFILE, the lowest descriptor is reused after close, release waits for
 * the last holder, and open/close/read from every CPU at once keep each
 * descriptor with one owner and release every object exactly once, never
 * while a reader holds it.
 */
#include <errno.h>
#include <stdio.h>
#include <uk/alloc.h>
#include <uk/fd.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include <uk/test.h>

#define NFD		CONFIG_LIBUKFD_MAX
#define MAXCPU		CONFIG_UKPLAT_LCPU_MAXCOUNT
#define ROUNDS		2000

uk_testsuite_register(ukfd, NULL);

/* A test object: its read answers its id; release marks it gone. */
struct obj {
	unsigned long id;
	unsigned int released;
};

static unsigned long releases, released_while_held;

static ssize_t obj_read(void *o, void *buf __unused, size_t n __unused)
{
	struct obj *ob = o;

	/* Relaxed: a flag the releasing CPU set; any value but 0 is a bug. */
	if (__atomic_load_n(&ob->released, __ATOMIC_RELAXED))
		__atomic_fetch_add(&released_while_held, 1, __ATOMIC_RELAXED);
	return (ssize_t)ob->id;
}

static int obj_release(void *o)
{
	struct obj *ob = o;

	/* Relaxed: counters read after the threads were joined. */
	if (__atomic_exchange_n(&ob->released, 1, __ATOMIC_RELAXED))
		__atomic_fetch_add(&released_while_held, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&releases, 1, __ATOMIC_RELAXED);
	return 0;
}

static const struct uk_fd_ops obj_ops = {
	.kind = UK_FD_SOCKET,
	.read = obj_read,
	.release = obj_release,
};

static struct obj objs[NFD];

UK_TESTCASE(ukfd, console_and_closed_descriptors)
{
	struct obj o = { .id = 7 };
	char c;
	int fd;

	UK_TEST_EXPECT_SNUM_EQ(uk_fd_kind(1), UK_FD_CONSOLE);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_read(0, &c, 1), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_write(0, "x", 1), -EBADF);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_write(2, "", 0), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(2), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_kind(2), UK_FD_CONSOLE);
	UK_TEST_EXPECT_NULL(uk_fd_get(-1));
	UK_TEST_EXPECT_NULL(uk_fd_get(NFD));
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(NFD), -EBADF);

	releases = 0;
	fd = uk_fd_open(&obj_ops, &o);
	UK_TEST_REQUIRE(fd >= 3);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_read(fd, &c, 1), 7);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_write(fd, "x", 1), -EBADF);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_fcntl(fd, 3, 0), -ENOSYS);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(fd), 0);
	UK_TEST_EXPECT_UNUM_EQ(releases, 1);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_read(fd, &c, 1), -EBADF);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_kind(fd), -EBADF);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(fd), -EBADF);
	UK_TEST_EXPECT_UNUM_EQ(releases, 1);
}

UK_TESTCASE(ukfd, lowest_descriptor_reused)
{
	struct obj o[3] = { { .id = 1 }, { .id = 2 }, { .id = 3 } };
	int a, b, c, d;

	a = uk_fd_open(&obj_ops, &o[0]);
	b = uk_fd_open(&obj_ops, &o[1]);
	c = uk_fd_open(&obj_ops, &o[2]);
	UK_TEST_REQUIRE(a >= 3 && b == a + 1 && c == b + 1);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(b), 0);
	d = uk_fd_open(&obj_ops, &o[1]);
	UK_TEST_EXPECT_SNUM_EQ(d, b);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(a), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(c), 0);
	d = uk_fd_open(&obj_ops, &o[0]);
	UK_TEST_EXPECT_SNUM_EQ(d, a);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_read(d, NULL, 0), 1);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(a), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(b), 0);
}

UK_TESTCASE(ukfd, full_table_is_emfile)
{
	static int fds[NFD];
	int n = 0, fd, mid, bad = 0, i;

	releases = 0;
	for (;;) {
		objs[n] = (struct obj){ .id = (unsigned long)n };
		fd = uk_fd_open(&obj_ops, &objs[n]);
		if (fd < 0)
			break;
		bad += n && fd <= fds[n - 1];	/* ascending: lowest first */
		fds[n++] = fd;
	}
	printf("  %d descriptors opened before EMFILE (table of %d)\n",
	       n, NFD);
	UK_TEST_EXPECT_SNUM_EQ(fd, -EMFILE);
	UK_TEST_EXPECT_SNUM_EQ(bad, 0);
	UK_TEST_EXPECT_SNUM_EQ(fds[n - 1], NFD - 1);
	UK_TEST_EXPECT_SNUM_GE(n, NFD - 16);
	/* One freed in the middle is the one the next open gets. */
	mid = n / 2;
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(fds[mid]), 0);
	objs[mid].released = 0;
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_open(&obj_ops, &objs[mid]), fds[mid]);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_open(&obj_ops, &objs[mid]), -EMFILE);
	for (i = 0; i < n; i++)
		bad += uk_fd_close(fds[i]) != 0;
	UK_TEST_EXPECT_SNUM_EQ(bad, 0);
	UK_TEST_EXPECT_UNUM_EQ(releases, (unsigned long)n + 1);
}

UK_TESTCASE(ukfd, release_waits_for_the_last_holder)
{
	struct obj o = { .id = 9 };
	struct uk_fd_file *f;
	int fd;

	releases = 0;
	fd = uk_fd_open(&obj_ops, &o);
	UK_TEST_REQUIRE(fd >= 3);
	f = uk_fd_get(fd);
	UK_TEST_REQUIRE(f != NULL);
	UK_TEST_EXPECT_SNUM_EQ(uk_fd_close(fd), 0);
	UK_TEST_EXPECT_NULL(uk_fd_get(fd));
	UK_TEST_EXPECT_UNUM_EQ(releases, 0);
	UK_TEST_EXPECT_SNUM_EQ(f->ops->read(f->obj, NULL, 0), 9);
	uk_fd_put(f);
	UK_TEST_EXPECT_UNUM_EQ(releases, 1);
	UK_TEST_EXPECT_UNUM_EQ(o.released, 1);
}

/*
 * Every CPU: a thread that opens, checks and closes ROUNDS descriptors
 * (each object marked with its owner) while a second thread reads random
 * descriptors. owner[fd] must go from 0 to the opener and back: two
 * openers given one descriptor at once would find it taken.
 */
static unsigned long owner[NFD], doubly_owned, wrong_obj, opened;
static struct obj race_objs[MAXCPU][ROUNDS];
static unsigned int stop_readers;

static void opener(void *arg)
{
	unsigned long me = (unsigned long)arg, zero;
	struct obj *o;
	int fd, i;

	for (i = 0; i < ROUNDS; i++) {
		o = &race_objs[me][i];
		*o = (struct obj){ .id = me * ROUNDS + (unsigned long)i + 1 };
		fd = uk_fd_open(&obj_ops, o);
		if (fd < 0)
			continue;
		/* Relaxed: counted after the join. */
		__atomic_fetch_add(&opened, 1, __ATOMIC_RELAXED);
		zero = 0;
		/* Relaxed: the table lock orders open against close. */
		if (!__atomic_compare_exchange_n(&owner[fd], &zero, me + 1, 0,
						 __ATOMIC_RELAXED,
						 __ATOMIC_RELAXED))
			__atomic_fetch_add(&doubly_owned, 1, __ATOMIC_RELAXED);
		if (uk_fd_read(fd, NULL, 0) != (ssize_t)o->id)
			__atomic_fetch_add(&wrong_obj, 1, __ATOMIC_RELAXED);
		if (i % 16 == 0)
			uk_sched_yield();
		__atomic_store_n(&owner[fd], 0, __ATOMIC_RELAXED);
		uk_fd_close(fd);
	}
}

static void reader(void *arg)
{
	unsigned int x = (unsigned int)(unsigned long)arg * 2654435761U + 1;
	int i = 0;

	/* Acquire-free: a stop flag only; relaxed is enough. */
	while (!__atomic_load_n(&stop_readers, __ATOMIC_RELAXED)) {
		x = x * 1103515245U + 12345U;
		uk_fd_read(3 + (int)((x >> 8) % 64), NULL, 0);
		if (++i % 32 == 0)
			uk_sched_yield();
	}
}

UK_TESTCASE(ukfd, open_close_read_on_every_cpu)
{
	unsigned int n = MIN(ukplat_lcpu_count(), (unsigned int)MAXCPU), c;
	struct uk_thread *op[MAXCPU], *rd[MAXCPU];

	releases = doubly_owned = wrong_obj = opened = 0;
	released_while_held = 0;
	stop_readers = 0;
	for (c = 0; c < n; c++) {
		rd[c] = uk_sched_thread_create_on((int)c, reader,
						  (void *)(unsigned long)c,
						  "ukfd-reader");
		op[c] = uk_sched_thread_create_on((int)c, opener,
						  (void *)(unsigned long)c,
						  "ukfd-opener");
		UK_TEST_REQUIRE(rd[c] && op[c]);
	}
	for (c = 0; c < n; c++)
		uk_thread_join(op[c]);
	__atomic_store_n(&stop_readers, 1, __ATOMIC_RELAXED);
	for (c = 0; c < n; c++)
		uk_thread_join(rd[c]);
	printf("  %u CPUs: %lu opened, %lu released\n", n, opened, releases);
	UK_TEST_EXPECT_UNUM_EQ(opened, (unsigned long)n * ROUNDS);
	UK_TEST_EXPECT_UNUM_EQ(releases, opened);
	UK_TEST_EXPECT_UNUM_EQ(doubly_owned, 0);
	UK_TEST_EXPECT_UNUM_EQ(wrong_obj, 0);
	UK_TEST_EXPECT_UNUM_EQ(released_while_held, 0);
}
