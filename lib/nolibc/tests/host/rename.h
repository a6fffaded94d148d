/* SPDX-License-Identifier: BSD-3-Clause */
/* Host tests: nolibc's functions renamed nolibc_* to coexist with glibc. */
#ifndef __NOLIBC_HOST_RENAME_H__
#define __NOLIBC_HOST_RENAME_H__

#ifndef __cplusplus
/*
 * C: force-included (-include) into nolibc's sources, which compile against
 * nolibc's own headers. The platform headers come first so that a host shim
 * defining ukplat_*() inline still calls glibc's exit(), abort(), ...
 */
#include <uk/plat/bootstrap.h>
#include <uk/plat/console.h>
#include <uk/plat/time.h>

#define memcpy		nolibc_memcpy
#define memmove		nolibc_memmove
#define memset		nolibc_memset
#define memcmp		nolibc_memcmp
#define memchr		nolibc_memchr
#define strlen		nolibc_strlen
#define strnlen		nolibc_strnlen
#define strcmp		nolibc_strcmp
#define strncmp		nolibc_strncmp
#define strcpy		nolibc_strcpy
#define strncpy		nolibc_strncpy
#define strcat		nolibc_strcat
#define strncat		nolibc_strncat
#define strchr		nolibc_strchr
#define strrchr		nolibc_strrchr
#define strstr		nolibc_strstr
#define strpbrk		nolibc_strpbrk
#define strspn		nolibc_strspn
#define strcspn		nolibc_strcspn
#define strtok_r	nolibc_strtok_r
#define strerror	nolibc_strerror
#define strdup		nolibc_strdup
#define strndup		nolibc_strndup
#define strcasecmp	nolibc_strcasecmp
#define strncasecmp	nolibc_strncasecmp
#define isalnum		nolibc_isalnum
#define isalpha		nolibc_isalpha
#define isblank		nolibc_isblank
#define iscntrl		nolibc_iscntrl
#define isdigit		nolibc_isdigit
#define isgraph		nolibc_isgraph
#define islower		nolibc_islower
#define isprint		nolibc_isprint
#define ispunct		nolibc_ispunct
#define isspace		nolibc_isspace
#define isupper		nolibc_isupper
#define isxdigit	nolibc_isxdigit
#define tolower		nolibc_tolower
#define toupper		nolibc_toupper
#define printf		nolibc_printf
#define vprintf		nolibc_vprintf
#define fprintf		nolibc_fprintf
#define vfprintf	nolibc_vfprintf
#define sprintf		nolibc_sprintf
#define vsprintf	nolibc_vsprintf
#define snprintf	nolibc_snprintf
#define vsnprintf	nolibc_vsnprintf
#define puts		nolibc_puts
#define putchar		nolibc_putchar
#define fputs		nolibc_fputs
#define fputc		nolibc_fputc
#define putc		nolibc_putc
#define fwrite		nolibc_fwrite
#define fflush		nolibc_fflush
#define exit		nolibc_exit
#define _Exit		nolibc__Exit
#define abort		nolibc_abort
#define strtol		nolibc_strtol
#define strtoll		nolibc_strtoll
#define strtoul		nolibc_strtoul
#define strtoull	nolibc_strtoull
#define atoi		nolibc_atoi
#define atol		nolibc_atol
#define atoll		nolibc_atoll
#define abs		nolibc_abs
#define labs		nolibc_labs
#define llabs		nolibc_llabs
#define qsort		nolibc_qsort
#define bsearch		nolibc_bsearch

#else /* __cplusplus */
/*
 * C++: included by the tests after the system headers, to declare the
 * renamed functions next to glibc's.
 */
#include <cstdarg>
#include <cstddef>

#define NOLIBC_PRINTF_ATTR(f, a) __attribute__((__format__(__printf__, f, a)))

extern "C" {
struct __nolibc_file;
extern struct __nolibc_file __nolibc_stdout;
extern struct __nolibc_file __nolibc_stderr;

int *__uk_errno(void);
void __nolibc_assert_fail(const char *expr, const char *file, int line,
			  const char *func) __attribute__((__noreturn__));

void *nolibc_memcpy(void *dst, const void *src, size_t n);
void *nolibc_memmove(void *dst, const void *src, size_t n);
void *nolibc_memset(void *dst, int c, size_t n);
int nolibc_memcmp(const void *a, const void *b, size_t n);
void *nolibc_memchr(const void *s, int c, size_t n);
size_t nolibc_strlen(const char *s);
size_t nolibc_strnlen(const char *s, size_t maxlen);
int nolibc_strcmp(const char *a, const char *b);
int nolibc_strncmp(const char *a, const char *b, size_t n);
char *nolibc_strcpy(char *dst, const char *src);
char *nolibc_strncpy(char *dst, const char *src, size_t n);
char *nolibc_strcat(char *dst, const char *src);
char *nolibc_strncat(char *dst, const char *src, size_t n);
char *nolibc_strchr(const char *s, int c);
char *nolibc_strrchr(const char *s, int c);
char *nolibc_strstr(const char *haystack, const char *needle);
char *nolibc_strpbrk(const char *s, const char *accept);
size_t nolibc_strspn(const char *s, const char *accept);
size_t nolibc_strcspn(const char *s, const char *reject);
char *nolibc_strtok_r(char *str, const char *delim, char **saveptr);
char *nolibc_strerror(int errnum);
char *nolibc_strdup(const char *s);
char *nolibc_strndup(const char *s, size_t n);
int nolibc_strcasecmp(const char *a, const char *b);
int nolibc_strncasecmp(const char *a, const char *b, size_t n);

int nolibc_isalnum(int c);
int nolibc_isalpha(int c);
int nolibc_isblank(int c);
int nolibc_iscntrl(int c);
int nolibc_isdigit(int c);
int nolibc_isgraph(int c);
int nolibc_islower(int c);
int nolibc_isprint(int c);
int nolibc_ispunct(int c);
int nolibc_isspace(int c);
int nolibc_isupper(int c);
int nolibc_isxdigit(int c);
int nolibc_tolower(int c);
int nolibc_toupper(int c);

int nolibc_printf(const char *fmt, ...) NOLIBC_PRINTF_ATTR(1, 2);
int nolibc_vprintf(const char *fmt, va_list ap) NOLIBC_PRINTF_ATTR(1, 0);
int nolibc_fprintf(struct __nolibc_file *f, const char *fmt, ...)
	NOLIBC_PRINTF_ATTR(2, 3);
int nolibc_vfprintf(struct __nolibc_file *f, const char *fmt, va_list ap)
	NOLIBC_PRINTF_ATTR(2, 0);
int nolibc_sprintf(char *buf, const char *fmt, ...) NOLIBC_PRINTF_ATTR(2, 3);
int nolibc_vsprintf(char *buf, const char *fmt, va_list ap)
	NOLIBC_PRINTF_ATTR(2, 0);
int nolibc_snprintf(char *buf, size_t size, const char *fmt, ...)
	NOLIBC_PRINTF_ATTR(3, 4);
int nolibc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	NOLIBC_PRINTF_ATTR(3, 0);
int nolibc_puts(const char *s);
int nolibc_putchar(int c);
int nolibc_fputs(const char *s, struct __nolibc_file *f);
int nolibc_fputc(int c, struct __nolibc_file *f);
int nolibc_putc(int c, struct __nolibc_file *f);
size_t nolibc_fwrite(const void *ptr, size_t size, size_t nmemb,
		     struct __nolibc_file *f);
int nolibc_fflush(struct __nolibc_file *f);

void nolibc_exit(int status) __attribute__((__noreturn__));
void nolibc__Exit(int status) __attribute__((__noreturn__));
void nolibc_abort(void) __attribute__((__noreturn__));
long nolibc_strtol(const char *nptr, char **endptr, int base);
long long nolibc_strtoll(const char *nptr, char **endptr, int base);
unsigned long nolibc_strtoul(const char *nptr, char **endptr, int base);
unsigned long long nolibc_strtoull(const char *nptr, char **endptr, int base);
int nolibc_atoi(const char *nptr);
long nolibc_atol(const char *nptr);
long long nolibc_atoll(const char *nptr);
int nolibc_abs(int v);
long nolibc_labs(long v);
long long nolibc_llabs(long long v);
void nolibc_qsort(void *base, size_t nmemb, size_t size,
		  int (*cmp)(const void *, const void *));
void *nolibc_bsearch(const void *key, const void *base, size_t nmemb,
		     size_t size, int (*cmp)(const void *, const void *));
}

#define nolibc_errno	(*__uk_errno())
#define nolibc_stdout	(&__nolibc_stdout)
#define nolibc_stderr	(&__nolibc_stderr)

#endif /* __cplusplus */

#endif /* __NOLIBC_HOST_RENAME_H__ */
