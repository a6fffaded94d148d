/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukfd: the image's one file-descriptor table.
 *
 * Descriptors 0, 1 and 2 are the console for the image's whole life;
 * every other descriptor names an object some library made (a socket of
 * lib/lwip) and registered with uk_fd_open(), which hands out the lowest
 * free descriptor. The C library's read()/write()/close()/fcntl() land
 * here (lib/newlib's io.c) and reach the object through its ops.
 *
 * Any thread on any CPU may call everything here (not interrupt
 * handlers). A descriptor that uk_fd_get() found stays valid for its
 * holder until uk_fd_put(), even if another thread closes the descriptor
 * meanwhile: close() only unlinks it (the number is free at once), and the
 * object is released when the last holder puts it.
 *
 * Errors are returned as negative errno values: -EBADF for a descriptor
 * that is not open, -EMFILE when the table is full.
 */
#ifndef __UK_FD_H__
#define __UK_FD_H__

#include <stddef.h>
#include <sys/types.h>

/* What a descriptor is, for fstat() and isatty(). */
enum uk_fd_kind {
	UK_FD_CONSOLE,
	UK_FD_SOCKET,
};

/*
 * An object behind descriptors. Each call gets the object registered with
 * uk_fd_open() and returns a count or 0, or a negative errno value. A NULL
 * read, write or fcntl fails with -EBADF (read/write) or -ENOSYS (fcntl).
 * release runs once, when the descriptor is closed and no lookup holds it
 * any more, on the CPU that dropped the last reference; it may block.
 */
struct uk_fd_ops {
	enum uk_fd_kind kind;
	ssize_t (*read)(void *obj, void *buf, size_t n);
	ssize_t (*write)(void *obj, const void *buf, size_t n);
	int (*fcntl)(void *obj, int cmd, int arg);
	int (*release)(void *obj);
};

/* An open object; ops and obj never change while anyone holds it. */
struct uk_fd_file {
	const struct uk_fd_ops *ops;
	void *obj;
	unsigned int refs;	/* the table's one + one per uk_fd_get() */
};

/*
 * Registers obj under the lowest free descriptor above 2 and returns it,
 * or -EMFILE (table full) or -ENOMEM; on failure nothing is registered and
 * release is not called (the caller still owns obj).
 */
int uk_fd_open(const struct uk_fd_ops *ops, void *obj);

/*
 * The object behind fd with a reference taken, or NULL when fd is not
 * open (EBADF). Every non-NULL result must be given back with uk_fd_put().
 */
struct uk_fd_file *uk_fd_get(int fd);
void uk_fd_put(struct uk_fd_file *f);

/*
 * Closes fd: the number is free when this returns. 0, or -EBADF; the
 * release's own error when it ran here (no other holder). Closing 0-2 is
 * allowed and does nothing: the console stays.
 */
int uk_fd_close(int fd);

/* read/write/fcntl on whatever fd names (get, call, put). */
ssize_t uk_fd_read(int fd, void *buf, size_t n);
ssize_t uk_fd_write(int fd, const void *buf, size_t n);
int uk_fd_fcntl(int fd, int cmd, int arg);

/* fd's kind (enum uk_fd_kind), or -EBADF. */
int uk_fd_kind(int fd);

#endif /* __UK_FD_H__ */
