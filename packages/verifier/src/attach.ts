/** Pass 8 (`check_attach_btf_id` for plain types): sleepable flags (verifier-core.md §1.2). */
import type { ProgTypeInfo } from '@bpfkit/platform';
import { reject } from './errors.js';

export const BPF_F_SLEEPABLE = 1 << 4;

const SLEEPABLE_TYPES = new Set(['BPF_PROG_TYPE_TRACING', 'BPF_PROG_TYPE_LSM', 'BPF_PROG_TYPE_KPROBE', 'BPF_PROG_TYPE_STRUCT_OPS', 'BPF_PROG_TYPE_SYSCALL']);

export function checkAttachTarget(progType: ProgTypeInfo, progFlags: number): void {
  const sleepable = (progFlags & BPF_F_SLEEPABLE) !== 0;
  if (progType.name === 'BPF_PROG_TYPE_SYSCALL') {
    if (!sleepable) reject(-1, 'EINVAL', 'Syscall programs can only be sleepable');
    return;
  }
  if (sleepable && !SLEEPABLE_TYPES.has(progType.name)) {
    reject(-1, 'EINVAL', 'Only fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops programs can be sleepable');
  }
}
