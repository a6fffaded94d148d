/* Platform console: the kernel's text output (serial COM1 on plat/kvm). */
#ifndef __UK_PLAT_CONSOLE_H__
#define __UK_PLAT_CONSOLE_H__

/*
 * Writes len bytes of buf to the console, translating "\n" to "\r\n".
 * Callable from any context, including exception handlers, once the platform
 * has started C code. Returns the number of bytes consumed (always len).
 */
int ukplat_coutk(const char *buf, unsigned int len);

#endif /* __UK_PLAT_CONSOLE_H__ */
