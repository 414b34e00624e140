/**
 * Program-level passes before exploration (verifier-core.md §1.2, §1.3):
 * subprogram discovery and layout, the encoding scan, and the depth-first CFG
 * walk that finds unreachable code and marks prune points.
 */
import { BPF_FUNC_MAX_ID, Class, JmpOp, Op, PseudoCall, PseudoLd, upfrontCheck, type Insn } from '@bpfkit/isa';
import { reject } from './errors.js';
import type { SlotProgram } from './program.js';
import type { VerifierMap } from './types.js';

export const BPF_MAX_SUBPROGS = 256;

export interface Subprog {
  /** First slot. */
  readonly start: number;
  /** One past the last slot. */
  readonly end: number;
  hasTailCall: boolean;
  hasLdAbs: boolean;
  /** Stack depth (bytes, max over all paths), filled by exploration. */
  stackDepth: number;
  /** Linkage from BTF func_info (global functions are verified separately). */
  global: boolean;
  /** BTF FUNC id from func_info, 0 without BTF. */
  btfFuncId: number;
}

export interface CfgInfo {
  readonly subprogs: Subprog[];
  /** Subprogram index of each slot. */
  readonly subprogOf: Int32Array;
  readonly prunePoint: Uint8Array;
  readonly forceCheckpoint: Uint8Array;
  readonly jmpPoint: Uint8Array;
}

const isPseudoCall = (i: Insn) => i.code === (Class.JMP | JmpOp.CALL) && i.src === PseudoCall.CALL;
const isPseudoFunc = (i: Insn) => i.code === Op.LD_IMM64 && i.src === PseudoLd.FUNC;

/** Pass 3: `add_subprog_and_kfunc` (subprogram start slots, sorted). */
export function discoverSubprogs(p: SlotProgram, gplCompatible = true): number[] {
  const starts = new Set<number>([0]);
  const n = p.length;
  for (let i = 0; i < n; i++) {
    if (p.secondHalf[i]) continue;
    const insn = p.insns[i]!;
    // add_kfunc_call: kfuncs are for GPL-compatible programs only
    if (insn.code === (Class.JMP | JmpOp.CALL) && insn.src === PseudoCall.KFUNC_CALL && !gplCompatible) {
      reject(-1, 'EINVAL', 'cannot call kernel function from non-GPL compatible program');
    }
    if (isPseudoCall(insn) || isPseudoFunc(insn)) {
      const t = i + insn.imm + 1;
      if (t < 0 || t >= n) reject(-1, 'EINVAL', 'call to invalid destination');
      starts.add(t);
      if (starts.size > BPF_MAX_SUBPROGS) reject(-1, 'EINVAL', 'too many subprograms');
    }
  }
  return [...starts].sort((a, b) => a - b);
}

/** Pass 4: `check_subprogs`: jumps stay inside their subprogram; each ends in exit or ja. */
function checkSubprogs(p: SlotProgram, starts: number[]): Subprog[] {
  const subprogs: Subprog[] = starts.map((s, k) => ({
    start: s,
    end: k + 1 < starts.length ? starts[k + 1]! : p.length,
    hasTailCall: false,
    hasLdAbs: false,
    stackDepth: 0,
    global: false,
    btfFuncId: 0,
  }));
  let cur = 0;
  let start = subprogs[0]!.start;
  let end = subprogs[0]!.end;
  for (let i = 0; i < p.length; i++) {
    const insn = p.insns[i]!;
    const code = insn.code;
    const cls = code & 0x07;
    const op = code & 0xf0;
    if (code === (Class.JMP | JmpOp.CALL) && insn.src === 0 && insn.imm === 12) subprogs[cur]!.hasTailCall = true;
    if (cls === Class.LD && ((code & 0xe0) === 0x20 || (code & 0xe0) === 0x40)) subprogs[cur]!.hasLdAbs = true;
    if ((cls === Class.JMP || cls === Class.JMP32) && op !== JmpOp.EXIT && op !== JmpOp.CALL && !p.secondHalf[i]) {
      const off = code === (Class.JMP32 | JmpOp.JA) ? i + insn.imm + 1 : i + insn.off + 1;
      if (off < start || off >= end) reject(i, 'EINVAL', `jump out of range from insn ${i} to ${off}`);
    }
    if (i === end - 1) {
      if (code !== (Class.JMP | JmpOp.EXIT) && code !== (Class.JMP32 | JmpOp.JA) && code !== (Class.JMP | JmpOp.JA)) {
        reject(i, 'EINVAL', 'last insn is not an exit or jmp');
      }
      cur++;
      if (cur < subprogs.length) {
        start = subprogs[cur]!.start;
        end = subprogs[cur]!.end;
      }
    }
  }
  return subprogs;
}

/** Pass 6: `resolve_pseudo_ldimm64` and the opcode table, in instruction order. */
function encodingScan(p: SlotProgram, maps: readonly VerifierMap[], mapCompat?: MapCompatCheck): void {
  for (let i = 0; i < p.length; i++) {
    if (p.secondHalf[i]) continue;
    const insn = p.insns[i]!;
    if (insn.code === Op.LD_IMM64) {
      if (i === p.length - 1) reject(i, 'EINVAL', 'invalid bpf_ld_imm64 insn');
    }
    // gotox (JMP|JA|X) is newer than 6.18: its opcode is unknown there
    const msg = insn.code === Op.GOTOX ? 'unknown opcode 0d' : upfrontCheck(insn);
    if (msg !== undefined) reject(i, 'EINVAL', msg);
    if (insn.code === Op.LD_IMM64) checkMapRef(i, insn, maps, mapCompat);
  }
}

/** `check_map_prog_compatibility`, run for each map the program references (program-level errors). */
export type MapCompatCheck = (map: VerifierMap) => void;

function checkMapRef(i: number, insn: Insn, maps: readonly VerifierMap[], mapCompat?: MapCompatCheck): void {
  const src = insn.src;
  if (src !== PseudoLd.MAP_FD && src !== PseudoLd.MAP_VALUE && src !== PseudoLd.MAP_IDX && src !== PseudoLd.MAP_IDX_VALUE) return;
  if (src === PseudoLd.MAP_FD || src === PseudoLd.MAP_VALUE) {
    // we have no file descriptors: fd N means map N (our loader convention), like the oracle's fd_array
    if (!maps[insn.imm]) reject(i, 'EBADF', `fd ${insn.imm} is not pointing to valid bpf_map`);
  } else if (maps.length === 0) {
    reject(i, 'EPROTO', 'fd_idx without fd_array is invalid');
  } else if (!maps[insn.imm]) {
    // fd_array holds exactly the object's maps; an index past them reads no valid fd
    reject(i, 'EBADF', 'fd -1 is not pointing to valid bpf_map');
  }
  const map = maps[insn.imm]!;
  mapCompat?.(map);
  if (src === PseudoLd.MAP_VALUE || src === PseudoLd.MAP_IDX_VALUE) {
    const off = insn.imm2 >>> 0;
    if (map.type !== 2 /* ARRAY */) {
      // only array maps (and arenas, not modelled) support direct value access
      reject(i, 'EINVAL', 'no direct value access support for this map type');
    }
    // array_map_direct_value_addr: a single element only, offset inside the value
    if (map.maxEntries !== 1) reject(i, 'ENOTSUPP', `invalid access to map value pointer, value_size=${map.valueSize} off=${off}`);
    if (off >= map.valueSize) reject(i, 'EINVAL', `invalid access to map value pointer, value_size=${map.valueSize} off=${off}`);
  }
}

/** Pass 7: `check_cfg`: DFS from insn 0, unreachable code, jumps into ld_imm64, prune points. */
function checkCfg(p: SlotProgram, syncCallbackKfunc?: (btfId: number) => boolean, iterNextKfunc?: (btfId: number) => boolean): { prunePoint: Uint8Array; forceCheckpoint: Uint8Array; jmpPoint: Uint8Array } {
  const n = p.length;
  const state = new Uint8Array(n); // 0 undiscovered, 1 discovered, 2 explored
  const prunePoint = new Uint8Array(n);
  const forceCheckpoint = new Uint8Array(n);
  const jmpPoint = new Uint8Array(n);
  const stack: number[] = [0];
  const next = new Int32Array(n); // successor index being visited per node
  state[0] = 1;
  const succs = (t: number): number[] => {
    const insn = p.insns[t]!;
    const cls = insn.code & 0x07;
    const size = insn.code === Op.LD_IMM64 ? 2 : 1;
    if (isPseudoFunc(insn)) {
      // a callback's address: its subprogram is reachable from here (visit_func_call_insn)
      prunePoint[t + 2] = 1;
      jmpPoint[t + 2] = 1;
      prunePoint[t] = 1;
      return [t + 2, t + insn.imm + 1];
    }
    if (cls !== Class.JMP && cls !== Class.JMP32) return [t + size];
    const op = insn.code & 0xf0;
    if (op === JmpOp.EXIT) return [];
    if (op === JmpOp.CALL) {
      prunePoint[t + 1] = 1;
      jmpPoint[t + 1] = 1;
      if (insn.src === PseudoCall.CALL) {
        prunePoint[t] = 1;
        return [t + 1, t + insn.imm + 1];
      }
      if (insn.src === 0 && (insn.imm === 181 || insn.imm === 164 || insn.imm === 180 || insn.imm === 209)) {
        // callback-calling helpers: bpf_loop, for_each_map_elem, find_vma, user_ringbuf_drain
        prunePoint[t] = 1;
        forceCheckpoint[t] = 1;
      }
      if (insn.src === PseudoCall.KFUNC_CALL && insn.off === 0 && iterNextKfunc?.(insn.imm)) {
        // an iterator's next is a loop decision point (§18.7)
        prunePoint[t] = 1;
        forceCheckpoint[t] = 1;
      }
      if (insn.src === PseudoCall.KFUNC_CALL && syncCallbackKfunc?.(insn.imm)) {
        // is_sync_callback_calling_kfunc: bpf_rbtree_add_impl's `less`
        prunePoint[t] = 1;
        forceCheckpoint[t] = 1;
      }
      return [t + 1];
    }
    if (op === JmpOp.JA) {
      if (insn.code & 0x08) return []; // gotox: rejected elsewhere
      const tgt = cls === Class.JMP32 ? t + insn.imm + 1 : t + insn.off + 1;
      prunePoint[tgt] = 1;
      jmpPoint[tgt] = 1;
      return [tgt];
    }
    if (op === JmpOp.JCOND) {
      prunePoint[t] = 1;
      forceCheckpoint[t] = 1;
      prunePoint[t + insn.off + 1] = 1;
      return [t + 1, t + insn.off + 1];
    }
    prunePoint[t] = 1;
    jmpPoint[t] = 1;
    prunePoint[t + insn.off + 1] = 1;
    jmpPoint[t + insn.off + 1] = 1;
    return [t + 1, t + insn.off + 1];
  };
  const succCache: (number[] | undefined)[] = new Array(n);
  while (stack.length) {
    const t = stack[stack.length - 1]!;
    const ss = (succCache[t] ??= succs(t));
    const k = next[t]!;
    if (k < ss.length) {
      next[t] = k + 1;
      const w = ss[k]!;
      if (w < 0 || w >= n) reject(t, 'EINVAL', `jump out of range from insn ${t} to ${w}`);
      if (state[w] === 0) {
        state[w] = 1;
        stack.push(w);
      }
      // state 1 (on the stack) is a back-edge: allowed with CAP_BPF
      continue;
    }
    state[t] = 2;
    stack.pop();
  }
  for (let i = 0; i < n; i++) {
    if (state[i] !== 2) reject(i, 'EINVAL', `unreachable insn ${i}`);
    if (p.insns[i]!.code === Op.LD_IMM64 && !p.secondHalf[i]) {
      if (state[i + 1] !== 0) reject(i, 'EINVAL', `jump into the middle of ldimm64 insn ${i}`);
      i++;
    }
  }
  return { prunePoint, forceCheckpoint, jmpPoint };
}

export function checkProgram(
  p: SlotProgram, maps: readonly VerifierMap[], mapCompat?: MapCompatCheck, syncCallbackKfunc?: (btfId: number) => boolean, iterNextKfunc?: (btfId: number) => boolean,
  gplCompatible = true,
): CfgInfo {
  if (p.length === 0) reject(-1, 'E2BIG');
  const starts = discoverSubprogs(p, gplCompatible);
  const subprogs = checkSubprogs(p, starts);
  encodingScan(p, maps, mapCompat);
  const marks = checkCfg(p, syncCallbackKfunc, iterNextKfunc);
  const subprogOf = new Int32Array(p.length);
  subprogs.forEach((s, k) => subprogOf.fill(k, s.start, s.end));
  return { subprogs, subprogOf, ...marks };
}

export { BPF_FUNC_MAX_ID };
