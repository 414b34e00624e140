#!/usr/bin/env bash
# Regenerate the C-dump golden files: compile each fixture with clang-19 for BPF and
# record `bpftool btf dump file X.o format c` (bpftool 7.1 / libbpf 1.1) as X.golden.h.
# dup.o links dup_a.o and dup_b.o (bpftool gen object) to get duplicate type names.
set -euo pipefail
cd "$(dirname "$0")"
CLANG=${CLANG:-clang-19}
for src in layout decls enums deps dup_a dup_b; do
	"$CLANG" -g -O2 -target bpf -std=gnu2x -Wno-gnu -c "$src.c" -o "$src.o"
done
bpftool gen object dup.o dup_a.o dup_b.o
rm -f dup_a.o dup_b.o
for obj in layout decls enums deps dup; do
	bpftool btf dump file "$obj.o" format c > "$obj.golden.h"
done

# Kernel BTF: record the input hash and the hash of bpftool's C output.
if [ -r /sys/kernel/btf/vmlinux ]; then
	in_sha=$(sha256sum /sys/kernel/btf/vmlinux | cut -d' ' -f1)
	out_sha=$(bpftool btf dump file /sys/kernel/btf/vmlinux format c | sha256sum | cut -d' ' -f1)
	printf '{\n  "kernel": "%s",\n  "bpftool": "%s",\n  "inputSha256": "%s",\n  "outputSha256": "%s"\n}\n' \
		"$(uname -r)" "$(bpftool version | head -1)" "$in_sha" "$out_sha" > vmlinux-c.sha256.json
fi
