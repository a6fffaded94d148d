HOST_SRCS := acpi.c
HOST_TESTS := test_madt.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_TSAN := n
