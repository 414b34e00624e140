#!/bin/sh
# Rebuild the BTF fixtures and their bpftool goldens (clang-19, llvm-objcopy-19, bpftool 7.1).
set -e
cd "$(dirname "$0")"
for t in bpfel bpfeb; do
  clang-19 -g -O2 -target $t -c kinds.bpf.c -o /tmp/kinds.$t.o
  llvm-objcopy-19 --dump-section .BTF=kinds.$t.btf --dump-section .BTF.ext=kinds.$t.btf.ext /tmp/kinds.$t.o /tmp/kinds.$t.o.tmp
  rm -f /tmp/kinds.$t.o.tmp
done
bpftool btf dump file kinds.bpfel.btf > kinds.bpfel.btf.raw.txt
bpftool -j btf dump file kinds.bpfel.btf > kinds.bpfel.btf.json
clang-19 -g -O2 -target bpfel -c core.bpf.c -o /tmp/core.o
llvm-objcopy-19 --dump-section .BTF=core.btf --dump-section .BTF.ext=core.btf.ext /tmp/core.o /tmp/core.o.tmp
rm -f /tmp/core.o.tmp
llvm-objdump-19 -dr /tmp/core.o | grep 'CO-RE' | sed 's/^[[:space:]]*//' > core.objdump-relos.txt
clang-19 -g -O2 -target bpfel -c graph.bpf.c -o /tmp/graph.o
llvm-objcopy-19 --dump-section .BTF=graph.btf /tmp/graph.o /tmp/graph.o.tmp
rm -f /tmp/graph.o.tmp
