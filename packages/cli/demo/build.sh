#!/bin/sh
# Rebuild the demo object (the committed sched.bpf.o is what `bpfkit demo` runs).
set -eu
cd "$(dirname "$0")"
ROOT=../../..
clang-19 -g -O2 -target bpf -I/usr/include/$(uname -m)-linux-gnu -I $ROOT/fixtures/include \
	-fdebug-prefix-map=$(pwd)=. -c sched.bpf.c -o sched.bpf.o
