/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc inttypes.h: printf format macros for the <stdint.h> types. */
#ifndef __NOLIBC_INTTYPES_H__
#define __NOLIBC_INTTYPES_H__

#include <stdint.h>

/*
 * x86_64 (LP64, gcc's <stdint.h>): 64-bit, fast 16/32/64-bit, pointer and
 * max types are long; the 8/16/32-bit exact and least types promote to int.
 */
#if __SIZEOF_LONG__ != 8
#error "nolibc's inttypes.h assumes an LP64 target"
#endif

/* %d */
#define PRId8	"d"
#define PRId16	"d"
#define PRId32	"d"
#define PRId64	"ld"
#ifndef UK_UPSTREAM_PROFILE	/* not in upstream's nolibc (doc/reuse.md) */
#define PRIdLEAST8	"d"
#define PRIdLEAST16	"d"
#define PRIdLEAST32	"d"
#define PRIdLEAST64	"ld"
#define PRIdFAST8	"d"
#define PRIdFAST16	"ld"
#define PRIdFAST32	"ld"
#define PRIdFAST64	"ld"
#define PRIdMAX	"ld"
#define PRIdPTR	"ld"
#endif

/* %i */
#define PRIi8	"i"
#define PRIi16	"i"
#define PRIi32	"i"
#define PRIi64	"li"
#ifndef UK_UPSTREAM_PROFILE	/* not in upstream's nolibc (doc/reuse.md) */
#define PRIiLEAST8	"i"
#define PRIiLEAST16	"i"
#define PRIiLEAST32	"i"
#define PRIiLEAST64	"li"
#define PRIiFAST8	"i"
#define PRIiFAST16	"li"
#define PRIiFAST32	"li"
#define PRIiFAST64	"li"
#define PRIiMAX	"li"
#define PRIiPTR	"li"
#endif

/* %o */
#ifndef UK_UPSTREAM_PROFILE	/* not in upstream's nolibc (doc/reuse.md) */
#define PRIo8	"o"
#define PRIo16	"o"
#define PRIo32	"o"
#define PRIo64	"lo"
#define PRIoLEAST8	"o"
#define PRIoLEAST16	"o"
#define PRIoLEAST32	"o"
#define PRIoLEAST64	"lo"
#define PRIoFAST8	"o"
#define PRIoFAST16	"lo"
#define PRIoFAST32	"lo"
#define PRIoFAST64	"lo"
#define PRIoMAX	"lo"
#define PRIoPTR	"lo"
#endif

/* %u */
#define PRIu8	"u"
#define PRIu16	"u"
#define PRIu32	"u"
#define PRIu64	"lu"
#ifndef UK_UPSTREAM_PROFILE	/* not in upstream's nolibc (doc/reuse.md) */
#define PRIuLEAST8	"u"
#define PRIuLEAST16	"u"
#define PRIuLEAST32	"u"
#define PRIuLEAST64	"lu"
#define PRIuFAST8	"u"
#define PRIuFAST16	"lu"
#define PRIuFAST32	"lu"
#define PRIuFAST64	"lu"
#define PRIuMAX	"lu"
#define PRIuPTR	"lu"
#endif

/* %x */
#define PRIx8	"x"
#define PRIx16	"x"
#define PRIx32	"x"
#define PRIx64	"lx"
#ifndef UK_UPSTREAM_PROFILE	/* not in upstream's nolibc (doc/reuse.md) */
#define PRIxLEAST8	"x"
#define PRIxLEAST16	"x"
#define PRIxLEAST32	"x"
#define PRIxLEAST64	"lx"
#define PRIxFAST8	"x"
#define PRIxFAST16	"lx"
#define PRIxFAST32	"lx"
#define PRIxFAST64	"lx"
#define PRIxMAX	"lx"
#define PRIxPTR	"lx"
#endif

/* %X */
#ifndef UK_UPSTREAM_PROFILE	/* not in upstream's nolibc (doc/reuse.md) */
#define PRIX8	"X"
#define PRIX16	"X"
#define PRIX32	"X"
#define PRIX64	"lX"
#define PRIXLEAST8	"X"
#define PRIXLEAST16	"X"
#define PRIXLEAST32	"X"
#define PRIXLEAST64	"lX"
#define PRIXFAST8	"X"
#define PRIXFAST16	"lX"
#define PRIXFAST32	"lX"
#define PRIXFAST64	"lX"
#define PRIXMAX	"lX"
#define PRIXPTR	"lX"
#endif

#endif /* __NOLIBC_INTTYPES_H__ */
