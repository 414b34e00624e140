#!/bin/sh
# Dev-time cross-check against a real kernel (root, BPF-capable, /sys/kernel/btf/vmlinux):
# for each object, load the fixed BTF (kernelBtfBytes), create every map of the spec,
# link every program with kfunc ids from vmlinux BTF and BPF_PROG_LOAD it with func_info,
# line_info and an fd_array in spec.maps order. Not part of the test suite.
# Usage: packages/object/scripts/kernel-load-check.sh OBJ...   (after `npx tsc -b packages/object`)
set -eu
here=$(dirname "$0")
tmp=$(mktemp)
for obj in "$@"; do
  echo "== $obj"
  node "$here/link-dump.mjs" "$obj" "$tmp"
  python3 "$here/kernel-load.py" "$tmp"
done
rm -f "$tmp"
