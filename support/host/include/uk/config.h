/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host configuration: the fixed stand-in for the uk/config.h that Kconfig
 * generates for guest builds. support/build/host.mk force-includes it
 * (-include) into every host-test object, C and C++, like the guest build
 * does with the generated one; so does support/build/hostlib.mk into the
 * libraries of `make host-lib`, and programs that use them must include it
 * the same way (the layout of some structures depends on it).
 *
 * Only what library code needs on the host belongs here; a suite that needs
 * another option sets it in its HOST_CFLAGS / HOST_CXXFLAGS
 * (-DCONFIG_LIBFOO_BAR=1).
 */
#ifndef __UK_CONFIG_H__
#define __UK_CONFIG_H__

/* Built into a Linux program (a test or a user's), not a unikernel. */
#define CONFIG_HOST_TEST 1

/* UK_ASSERT() and friends are checked, as in debug guest builds. */
#define CONFIG_LIBUKDEBUG_ENABLE_ASSERT 1

/*
 * Upper bound of ukplat_lcpu_count() and of the indexes ukplat_lcpu_idx()
 * hands out to threads (see uk/plat/lcpu.h in this directory).
 */
#define CONFIG_UKPLAT_LCPU_MAXCOUNT 64

#endif /* __UK_CONFIG_H__ */
