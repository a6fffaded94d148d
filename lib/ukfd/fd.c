/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukfd: the file-descriptor table (uk/fd.h). Entry points: uk_fd_open(),
 * uk_fd_get()/uk_fd_put(), uk_fd_close().
 *
 * table[fd] points to the open file behind fd, or is NULL. One spinlock,
 * table_lock, protects the slots and the hint: every read or write of
 * table[] and of hint happens under it. It is held only for a slot
 * scan or a pointer swap (no call out, nothing that blocks), so any CPU
 * may take it; no interrupt handler does, so interrupts stay on.
 *
 * Lifetime: a file's refs counts the table's link (one, while a slot
 * points to it) plus one per uk_fd_get(). A lookup takes its reference
 * under table_lock, while the slot still holds the table's, so the file
 * cannot be released between the slot read and the increment. Close
 * unlinks the slot under the lock and then drops the table's reference
 * outside it; whoever drops the last reference calls release. So a close
 * racing with a read on another CPU either comes first (the read sees
 * EBADF) or the read holds the file and the release waits for its put.
 *
 * Invariants (asserted): table[0..2] are the console files, always;
 * a linked file has refs >= 1; every slot below hint (from 3) is taken.
 */
#include <errno.h>
#include <limits.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/config.h>
#include <uk/essentials.h>
#include <uk/fd.h>
#include <uk/plat/console.h>
#include <uk/spinlock.h>

#define NFD		CONFIG_LIBUKFD_MAX
#define FIRST_FREE	3	/* 0-2: the console */

/* ---- the console: 0 reads end of file, 1 and 2 write ------------------- */

static ssize_t console_read(void *obj __unused, void *buf __unused,
			    size_t n __unused)
{
	return 0;	/* no input device: end of file */
}

static ssize_t console_write(void *obj __unused, const void *buf, size_t n)
{
	const char *p = buf;
	size_t left = n;

	/* One ukplat_coutk() per chunk: the platform keeps each whole. */
	while (left) {
		unsigned int chunk = left > UINT_MAX ? UINT_MAX
						      : (unsigned int)left;

		ukplat_coutk(p, chunk);
		p += chunk;
		left -= chunk;
	}
	return (ssize_t)n;
}

static const struct uk_fd_ops console_in = {
	.kind = UK_FD_CONSOLE,
	.read = console_read,
};

static const struct uk_fd_ops console_out = {
	.kind = UK_FD_CONSOLE,
	.write = console_write,
};

/* refs 1: the table's link, never dropped (closing 0-2 does nothing). */
static struct uk_fd_file console[FIRST_FREE] = {
	{ .ops = &console_in, .refs = 1 },
	{ .ops = &console_out, .refs = 1 },
	{ .ops = &console_out, .refs = 1 },
};

/* ---- the table --------------------------------------------------------- */

static struct uk_spinlock table_lock = UK_SPINLOCK_INITIALIZER();
static struct uk_fd_file *table[NFD] = {
	&console[0], &console[1], &console[2],
};
static int hint = FIRST_FREE;	/* no free slot below it */

UK_CTASSERT(NFD > FIRST_FREE);

static int is_console(const struct uk_fd_file *f)
{
	return f >= &console[0] && f < &console[FIRST_FREE];
}

int uk_fd_open(const struct uk_fd_ops *ops, void *obj)
{
	struct uk_fd_file *f;
	int fd;

	UK_ASSERT(ops);
	f = uk_malloc(uk_alloc_get_default(), sizeof(*f));
	if (!f)
		return -ENOMEM;
	*f = (struct uk_fd_file){ .ops = ops, .obj = obj, .refs = 1 };
	uk_spin_lock(&table_lock);
	UK_ASSERT(hint >= FIRST_FREE);
	UK_ASSERT(hint == FIRST_FREE || table[hint - 1]);
	for (fd = hint; fd < NFD && table[fd]; fd++)
		;
	if (fd < NFD) {
		table[fd] = f;
		hint = fd + 1;
	}
	uk_spin_unlock(&table_lock);
	if (fd == NFD) {
		uk_free(uk_alloc_get_default(), f);
		return -EMFILE;
	}
	return fd;
}

struct uk_fd_file *uk_fd_get(int fd)
{
	struct uk_fd_file *f = NULL;

	if (fd < 0 || fd >= NFD)
		return NULL;
	uk_spin_lock(&table_lock);
	f = table[fd];
	UK_ASSERT(fd >= FIRST_FREE || f == &console[fd]);
	if (f) {
		UK_ASSERT(f->refs >= 1);
		/*
		 * Relaxed: the slot's own reference keeps f alive while we
		 * hold table_lock, and the lock orders this increment
		 * before the unlink of a later close.
		 */
		__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
	}
	uk_spin_unlock(&table_lock);
	return f;
}

/*
 * Drops one reference; the last one releases the object: its release's
 * result, else 0.
 */
static int drop(struct uk_fd_file *f)
{
	int ret = 0;

	/*
	 * Release: this holder's uses of the object happen before the
	 * release call; acquire (for the last one): it sees every other
	 * holder's uses, each published by that holder's release here.
	 */
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL))
		return 0;
	UK_ASSERT(!is_console(f));
	if (f->ops->release)
		ret = f->ops->release(f->obj);
	uk_free(uk_alloc_get_default(), f);
	return ret;
}

void uk_fd_put(struct uk_fd_file *f)
{
	drop(f);
}

int uk_fd_close(int fd)
{
	struct uk_fd_file *f;

	if (fd < 0 || fd >= NFD)
		return -EBADF;
	if (fd < FIRST_FREE)
		return 0;	/* the console stays open */
	uk_spin_lock(&table_lock);
	f = table[fd];
	table[fd] = NULL;
	if (f && fd < hint)
		hint = fd;
	uk_spin_unlock(&table_lock);
	if (!f)
		return -EBADF;
	UK_ASSERT(!is_console(f));
	return drop(f);	/* the table's link */
}

/* expr, with f the file behind fd held; -EBADF when fd is not open. */
#define ON_FILE(fd, f, expr)						\
	({								\
		struct uk_fd_file *f = uk_fd_get(fd);			\
		__typeof__(expr) r_ = -EBADF;				\
									\
		if (f) {						\
			r_ = (expr);					\
			uk_fd_put(f);					\
		}							\
		r_;							\
	})

ssize_t uk_fd_read(int fd, void *buf, size_t n)
{
	return ON_FILE(fd, f, f->ops->read ? f->ops->read(f->obj, buf, n)
					    : -EBADF);
}

ssize_t uk_fd_write(int fd, const void *buf, size_t n)
{
	return ON_FILE(fd, f, f->ops->write ? f->ops->write(f->obj, buf, n)
					     : -EBADF);
}

int uk_fd_fcntl(int fd, int cmd, int arg)
{
	return ON_FILE(fd, f, f->ops->fcntl ? f->ops->fcntl(f->obj, cmd, arg)
					     : -ENOSYS);
}

int uk_fd_kind(int fd)
{
	return ON_FILE(fd, f, (int)f->ops->kind);
}
