/**
 * The verification environment: everything one run needs, passed explicitly
 * to the instruction checkers (no module-level state).
 */
import type { Insn } from '@bpfkit/isa';
import type { Platform, ProgTypeInfo } from '@bpfkit/platform';
import type { CfgInfo } from './cfg.js';
import type { VerifierLog } from './log.js';
import type { SlotProgram } from './program.js';
import type { HistEntry, SourceLine, VerifierMap, VerifyInput, VState } from './types.js';

export interface PendingBranch {
  state: VState;
  insnIdx: number;
  prevInsnIdx: number;
  /** Log position to truncate back to (level 1). */
  logPos: number;
  /** Estimated bytes of the queued state (explored-state memory cap). */
  bytes: number;
}

export interface Env {
  readonly input: VerifyInput;
  readonly platform: Platform;
  readonly progType: ProgTypeInfo;
  readonly prog: SlotProgram;
  readonly cfg: CfgInfo;
  readonly log: VerifierLog;
  readonly maps: readonly VerifierMap[];
  /** Strict alignment for all accesses (BPF_F_STRICT_ALIGNMENT); stack and atomics are always strict. */
  readonly strictAlignment: boolean;
  /** Privileged (root) switches, always true here (§0). */
  readonly allowPtrLeaks: boolean;
  readonly bpfCapable: boolean;
  /** The state being explored. */
  cur: VState;
  /** Instruction being checked. */
  insnIdx: number;
  /** Next instruction; set by jumps, calls and exits (-1 ends the path). */
  nextIdx: number;
  /** Registers (bitmask) and stack slots of the current frame touched by this instruction. */
  scratchRegs: number;
  scratchSlots: Set<number>;
  /** Set when the whole state must be printed (after calls / returns). */
  scratchAll: boolean;
  readonly pending: PendingBranch[];
  idGen: number;
  insnProcessed: number;
  totalStates: number;
  peakStates: number;
  curStates: number;
  maxStatesPerInsn: number;
  /** Estimated bytes of the states kept (checkpoints, pending branches, back-edge copies) and their cap. */
  stateBytes: number;
  readonly maxStateBytes: number;
  /** True while verifying a global function on its own (its exit only needs a scalar R0). */
  verifyingGlobal: boolean;
  /** History entry of the instruction being checked (precision backtracking). */
  curHist?: HistEntry;
  /** Global functions reached from verified call sites, to verify after the main program. */
  readonly globalsToVerify: Set<number>;
}

export function nextId(env: Env): number {
  return ++env.idGen;
}

export function sourceLineAt(env: Env, idx: number): SourceLine | undefined {
  const li = env.input.lineInfo;
  if (!li || li.length === 0) return undefined;
  let lo = 0;
  let hi = li.length - 1;
  let best: SourceLine | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = li[mid]!;
    if (r.insn <= idx) {
      best = r;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

export type InsnChecker = (env: Env, insn: Insn) => void;
