#!/bin/sh
# Rebuilds the committed test objects from their C sources (little- and big-endian).
# Needs clang-19 and libbpf headers (Debian: libbpf-dev, linux-libc-dev).
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
