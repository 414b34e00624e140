#!/bin/sh
# Rebuilds the committed test objects from their C sources (little- and big-endian),
# plus llvm-readelf/objdump references, and the libbpf 1.1 debug trace of calls.bpf.o
# (needs root and a BPF-capable kernel; pins are made in a temporary bpffs dir and removed).
set -eu
cd "$(dirname "$0")"
ARCH_INC=/usr/include/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
for src in *.bpf.c; do
  base=${src%.c}
  clang-19 -g -O2 -target bpf -I"$ARCH_INC" -c "$src" -o "$base.o"
  clang-19 -g -O2 -target bpfeb -I"$ARCH_INC" -c "$src" -o "$base.eb.o"
  llvm-readelf-19 -S -s -r "$base.o" > "$base.readelf.txt"
  llvm-objdump-19 -d -r "$base.o" > "$base.objdump.txt"
done
PIN=/sys/fs/bpf/bpfkit-object-rebuild.$$
bpftool -d prog loadall calls.bpf.o "$PIN" 2>&1 \
  | grep -E "relo #|found (map|extern)|added [0-9]+ insns|relocated, imm|extern \(|collected [0-9]+ externs|: at sec_idx|map .*: found (type|key|value|max_entries|map_flags|pinning|inner)" \
  | grep -v "resolved to kernel\|set to 0x" > calls.libbpf-trace.txt || true
rm -rf "$PIN" 2>/dev/null || true
