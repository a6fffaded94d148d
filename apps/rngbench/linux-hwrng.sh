#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# linux-hwrng.sh: the Linux side of rngbench. Boots the reference Linux guest
# (kernel and busybox from ../shared/tools/linux-guest build DIR) with a
# virtio-rng-pci device and an initramfs that times /dev/hwrng reads with
# /proc/uptime, 3 rounds: 1 MiB in 4 KiB and 64 KiB reads, 1 MiB in 4 KiB
# reads by one dd per vCPU at once, 2000 16-byte reads.
#
#   apps/rngbench/linux-hwrng.sh DIR [SMP...]      (default SMP: 1 2 4)
#
# Prints "LINUX: <what>: <uptime before> <uptime after>" lines and the
# guest's virtio interrupt counts. Needs DIR/vmlinuz and DIR/k, DIR/bb
# (what linux-guest build unpacks).
set -euo pipefail
dir=$(cd "${1:?usage: linux-hwrng.sh DIR [SMP...]}" && pwd)
shift
smps=${*:-1 2 4}
ir=$dir/rngir
rm -rf "$ir"
mkdir -p "$ir/bin" "$ir/proc" "$ir/sys" "$ir/dev" "$ir/lib/modules"
cp "$dir/bb/bin/busybox" "$ir/bin/"
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev \
	virtio_pci virtio-rng; do
	find "$dir/k/lib/modules" -name "$m.ko*" -exec cp {} "$ir/lib/modules/" \;
done
cat >"$ir/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio-rng; do
	insmod /lib/modules/$m.ko
done
i=0; while [ ! -e /dev/hwrng ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
echo "LINUX: cpus $(nproc) rng $(cat /sys/class/misc/hw_random/rng_current)"
up() { cut -d' ' -f1 /proc/uptime; }
n=$(nproc)
for r in 1 2 3; do
	t0=$(up); dd if=/dev/hwrng of=/dev/null bs=4096 count=256 2>/dev/null; t1=$(up)
	echo "LINUX: 1MiB in 4KiB reads: $t0 $t1"
	t0=$(up); dd if=/dev/hwrng of=/dev/null bs=65536 count=16 2>/dev/null; t1=$(up)
	echo "LINUX: 1MiB in 64KiB reads: $t0 $t1"
	t0=$(up); j=0
	while [ $j -lt $n ]; do
		dd if=/dev/hwrng of=/dev/null bs=4096 count=$((256 / n)) 2>/dev/null &
		j=$((j+1))
	done
	wait; t1=$(up)
	echo "LINUX: 1MiB in 4KiB reads all cpus: $t0 $t1"
	t0=$(up); dd if=/dev/hwrng of=/dev/null bs=16 count=2000 2>/dev/null; t1=$(up)
	echo "LINUX: 2000 16-byte reads: $t0 $t1"
done
grep -i virtio /proc/interrupts
poweroff -f
EOF
chmod +x "$ir/init"
(cd "$ir" && find . | "$dir/bb/bin/busybox" cpio -o -H newc 2>/dev/null |
	gzip >"$dir/rng.gz")
for n in $smps; do
	timeout 600 qemu-system-x86_64 -nodefaults -no-user-config -display none \
		-serial stdio -monitor none -no-reboot -m 256 -smp "$n" \
		-accel tcg,thread=multi -kernel "$dir/vmlinuz" -initrd "$dir/rng.gz" \
		-append "console=ttyS0 quiet" \
		-device virtio-rng-pci,disable-legacy=on 2>&1 | grep -a "LINUX\|virtio"
done
