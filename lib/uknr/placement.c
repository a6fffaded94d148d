/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr replica placement: how many replicas by default and which replica a
 * CPU uses. On the host (the test build) one replica per NUMA node, read
 * from Linux's sysfs; in the guest, where QEMU shows one node, a configured
 * number of CPUs per replica (CONFIG_LIBUKNR_CPUS_PER_REPLICA).
 */
#include <uk/nr.h>
#include <uk/plat/lcpu.h>

#if CONFIG_HOST_TEST
#include <stdio.h>
#include <unistd.h>

/* NUMA node of host CPU cpu, or -1 (no sysfs, or a kernel without NUMA). */
static int nr_host_node_of(unsigned int cpu)
{
	char path[80];
	int n;

	for (n = 0; n < UK_NR_MAX_REPLICAS; n++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/node%d", cpu, n);
		if (!access(path, F_OK))
			return n;
	}
	return -1;
}

unsigned int uk_nr_default_replicas(void)
{
	char path[64];
	unsigned int n;

	for (n = 0; n < UK_NR_MAX_REPLICAS; n++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%u",
			 n);
		if (access(path, F_OK))
			break;
	}
	return n ? n : 1;
}

unsigned int uk_nr_replica_of_cpu(unsigned int cpu, unsigned int replicas)
{
	int node = nr_host_node_of(cpu);

	if (!replicas)
		return 0;
	return node < 0 ? cpu % replicas : (unsigned int)node % replicas;
}

#else /* guest */

#ifndef CONFIG_LIBUKNR_CPUS_PER_REPLICA
#define CONFIG_LIBUKNR_CPUS_PER_REPLICA 1
#endif

unsigned int uk_nr_default_replicas(void)
{
	unsigned int per = CONFIG_LIBUKNR_CPUS_PER_REPLICA;
	unsigned int n = (ukplat_lcpu_count() + per - 1) / per;

	if (n > UK_NR_MAX_REPLICAS)
		n = UK_NR_MAX_REPLICAS;
	return n ? n : 1;
}

unsigned int uk_nr_replica_of_cpu(unsigned int cpu, unsigned int replicas)
{
	if (!replicas)
		return 0;
	return (cpu / CONFIG_LIBUKNR_CPUS_PER_REPLICA) % replicas;
}

#endif
