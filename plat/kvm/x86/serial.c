/* SPDX-License-Identifier: BSD-3-Clause */
/* Console on the first serial port (COM1, 115200 8N1, polled). */
#include <uk/arch/lcpu.h>
#include <uk/plat/console.h>
#include <uk/plat/lcpu.h>
#include <kvm/boot.h>
#include <kvm/crash.h>

#define COM1		0x3f8
#define COM_THR		0	/* transmit holding register */
#define COM_IER		1
#define COM_FCR		2
#define COM_LCR		3
#define COM_MCR		4
#define COM_LSR		5
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define LSR_THRE	0x20

static int serial_ready;
/* Serializes whole writes so lines from different CPUs do not interleave. */
static volatile int serial_lock;

void kvm_serial_init(void)
{
	outb(COM1 + COM_IER, 0x00);		/* polled: no interrupts */
	outb(COM1 + COM_LCR, LCR_DLAB);
	outb(COM1 + COM_THR, 1);		/* divisor 1: 115200 baud */
	outb(COM1 + COM_IER, 0);
	outb(COM1 + COM_LCR, LCR_8N1);
	outb(COM1 + COM_FCR, 0xc7);		/* FIFO on, cleared */
	outb(COM1 + COM_MCR, 0x03);		/* DTR, RTS */
	serial_ready = 1;
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + COM_LSR) & LSR_THRE))
		ukarch_spinwait();
	outb(COM1 + COM_THR, (__u8)c);
}

int ukplat_coutk(const char *buf, unsigned int len)
{
	/* The crash reporter may have stopped the lock holder: skip it. */
	int locked = !kvm_crash_cpu_is_me();
	unsigned long f = ukplat_lcpu_save_irqf();
	unsigned int i;

	/* Acquire: the previous writer's bytes went out before ours. */
	while (locked && __atomic_exchange_n(&serial_lock, 1, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
	if (!serial_ready)
		kvm_serial_init();
	for (i = 0; i < len; i++) {
		if (buf[i] == '\n')
			serial_putc('\r');
		serial_putc(buf[i]);
	}
	/* Release: pairs with the acquire above. */
	if (locked)
		__atomic_store_n(&serial_lock, 0, __ATOMIC_RELEASE);
	ukplat_lcpu_restore_irqf(f);
	return (int)len;
}
