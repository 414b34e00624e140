/** Linux 6.18 verifier limits (verifier-core.md §10, §12, §14.1 and include/linux/bpf*.h). */
import type { Limits } from './types.js';

export const LINUX_618_LIMITS: Limits = Object.freeze({
  maxInsnsProcessed: 1_000_000, // BPF_COMPLEXITY_LIMIT_INSNS (§14.1)
  maxStack: 512, // MAX_BPF_STACK (§10.1, §10.6)
  maxFrames: 8, // MAX_CALL_FRAMES (§12.1)
  maxJmpSeq: 8192, // BPF_COMPLEXITY_LIMIT_JMP_SEQ (§14.1)
  maxSubprogs: 256, // BPF_MAX_SUBPROGS
  maxStatesPerInsnUnpriv: 64, // BPF_COMPLEXITY_LIMIT_STATES (§14.2)
  maxInsnsUnpriv: 4096, // BPF_MAXINSNS
  maxInsns: 1_000_000, // BPF_COMPLEXITY_LIMIT_INSNS also bounds program length with CAP_BPF
  maxTailCalls: 33, // MAX_TAIL_CALL_CNT
  maxTailCallStack: 256, // §10.6
  maxLoops: 1 << 23, // BPF_MAX_LOOPS
  maxFuncArgs: 12, // MAX_BPF_FUNC_ARGS
  maxHelperId: 212, // __BPF_FUNC_MAX_ID
  maxErrno: 4095, // MAX_ERRNO
  nrCpuIds: 2, // nr_cpu_ids of the oracle host (/sys/devices/system/cpu/possible = 0-1); override per machine
  maxAccessOff: 1 << 29, // BPF_MAX_VAR_OFF / unbounded-access threshold (§9.2, §11.2)
});
