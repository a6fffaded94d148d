# SPDX-License-Identifier: BSD-3-Clause
HOST_SRCS := acpi.c pci_cap.c
HOST_TESTS := test_madt.cc test_pci_cap.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_TSAN := n
