/**
 * Path exploration (`do_check`, verifier-core.md §14): a depth-first walk,
 * fall-through first, pending branches on a LIFO stack; checkpoints at prune
 * points with the kernel's add-heuristic; the level-1 log keeps only the
 * failing path.
 */
import { Op } from '@bpfkit/isa';
import { reject } from './errors.js';
import { sourceLineAt, type Env } from './env.js';
import { statesEqual } from './equal.js';
import { checkInsn } from './insn/dispatch.js';
import { cloneState, curFrame } from './state.js';
import type { Checkpoint, VState } from './types.js';
import { newHistEntry, precisionMarkCount, propagatePrecision, regKey, slotKey } from './precision.js';
import { isLoopHead, iterActiveAtR1 } from './loops.js';
import { liveRegsBefore } from './liveness.js';

export const BPF_COMPLEXITY_LIMIT_JMP_SEQ = 8192;
/** Default cap on the estimated memory of the kept states (VerifyOptions.maxStateMemory). */
export const DEFAULT_MAX_STATE_MEMORY = 512 * 1024 * 1024;

/** Rough heap bytes of a kept state: registers, stack slots, references and history entries (V8 object sizes). */
export function stateBytes(s: VState): number {
  let n = 256 + s.refs.length * 64 + s.hist.length * 80;
  for (const f of s.frames) n += 160 + f.regs.length * 280 + f.stack.length * 360;
  return n;
}

/** A state is kept (checkpoint, pending branch, back-edge copy): count its bytes, stop cleanly past the cap. */
function keepState(env: Env, bytes: number): void {
  env.stateBytes += bytes;
  if (env.stateBytes > env.maxStateBytes) {
    const mib = (b: number): string => (b / (1024 * 1024)).toFixed(b < 10 * 1024 * 1024 ? 1 : 0);
    reject(
      env.insnIdx,
      'ENOMEM',
      `explored states need more than the verifier's state memory cap of ${mib(env.maxStateBytes)} MiB (${env.curStates} kept states, ${env.pending.length} pending branches, about ${mib(env.stateBytes)} MiB)`,
    );
  }
}

export interface ExploreContext {
  readonly checkpoints: Map<number, Checkpoint[]>;
  jmpsProcessed: number;
  prevJmpsProcessed: number;
  prevInsnProcessed: number;
}

export function newExploreContext(): ExploreContext {
  return { checkpoints: new Map(), jmpsProcessed: 0, prevJmpsProcessed: 0, prevInsnProcessed: 0 };
}

/** Queues the other successor of a branch (explored after the current path ends). */
export function pushBranch(env: Env, target: number, state: VState): void {
  const st = cloneState(state);
  // the branching instruction (a jump, may_goto, an iterator's next, a callback call) belongs to the queued history
  if (env.curHist) st.hist.push({ ...env.curHist });
  st.prevInsnIdx = env.insnIdx;
  st.insnIdx = target;
  if (st.parent) st.parent.branches++;
  const bytes = stateBytes(st);
  env.pending.push({ state: st, insnIdx: target, prevInsnIdx: env.insnIdx, logPos: env.log.pushMark, bytes });
  if (env.pending.length > BPF_COMPLEXITY_LIMIT_JMP_SEQ) {
    // Linux 6.18 fails push_stack here with EFAULT (recorded with tools/oracle)
    reject(env.insnIdx, 'EFAULT', `The sequence of ${env.pending.length} jumps is too complex.`);
  }
  keepState(env, bytes);
}

/** A path finished (exit or pruned): its checkpoints lose one live branch. */
function endPath(env: Env, state: VState): void {
  let c = state.parent;
  while (c) {
    c.branches--;
    if (c.branches > 0) break;
    if (c.backedges) loopDone(env, c);
    // an evicted checkpoint stays counted (peak_states) until nothing below it is being explored
    if (c.evicted) {
      env.curStates--;
      env.stateBytes -= c.bytes ?? 0;
    }
    c = c.parent;
  }
}

function popBranch(env: Env): boolean {
  const b = env.pending.pop();
  if (!b) return false;
  env.stateBytes -= b.bytes;
  env.cur = b.state;
  const log = env.log;
  if (log.level === 1) {
    log.truncate(b.logPos);
    log.raw(` ${b.insnIdx}:${log.dump(env.cur, env.cur.frames.length - 1)}\n`);
  } else if (log.level === 2) {
    log.raw(`\nfrom ${b.prevInsnIdx} to ${b.insnIdx}:${log.dump(env.cur, env.cur.frames.length - 1)}\n`);
  }
  log.resetSource();
  return true;
}

/** Jumps and stack accesses in the current state's history (Linux's jmp_history_cnt). */
function histCount(s: VState): number {
  let n = 0;
  for (const h of s.hist) if (h.slotFrame !== undefined || h.linked) n++;
  return n;
}

/** The innermost loop head still being explored that `c` belongs to (directly or through enclosing heads). */
export function activeLoopEntry(c: Checkpoint): Checkpoint | undefined {
  for (let e = c.loopEntry; e; e = e.loopEntry) if (e.branches > 0) return e;
  return undefined;
}

/**
 * The current path was cut at loop head `head` (or pruned against a state of that loop, `target`): every checkpoint
 * between here and the head belongs to the loop, and the cut is replayed for precision when the loop is done.
 */
function loopBackedge(env: Env, head: Checkpoint, target: Checkpoint, cur: VState): void {
  for (let c = cur.parent; c && c !== head; c = c.parent) {
    const e = c.loopEntry && activeLoopEntry(c) ? c.loopEntry : undefined;
    if (!e || e.depth > head.depth) c.loopEntry = head;
  }
  const state = cloneState(cur);
  const bytes = stateBytes(state);
  (head.backedges ??= []).push({ target, state, bytes });
  // the kept copy is a state until the loop is done (peak_states counts it, as Linux's backedge copies)
  env.curStates++;
  if (env.curStates > env.peakStates) env.peakStates = env.curStates;
  keepState(env, bytes);
}

/**
 * `propagate_backedges`: once a loop head is completely explored, the precision its states ended up needing is
 * pushed back along every cut path until nothing changes; inside an enclosing loop still being explored the cuts
 * wait for that loop.
 */
function loopDone(env: Env, head: Checkpoint): void {
  const bes = head.backedges;
  if (!bes) return;
  head.backedges = undefined;
  const outer = activeLoopEntry(head);
  if (outer) {
    (outer.backedges ??= []).push(...bes);
    return;
  }
  for (let round = 0; round < 1000; round++) {
    const before = precisionMarkCount();
    for (const b of bes) propagatePrecision(env, b.target, b.state);
    if (precisionMarkCount() === before) break;
  }
  env.curStates -= bes.length;
  for (const b of bes) env.stateBytes -= b.bytes;
}

const liveCache = new WeakMap<Env, Uint16Array>();
/**
 * Live registers of each frame of `s` at `idx`: the top frame's before `idx`; a caller's after its call returns
 * (R6-R9 only: R0-R5 are rewritten by the return), or before the call site again for a callback's caller.
 */
function liveOf(env: Env, s: VState, idx: number): (k: number) => number {
  let live = liveCache.get(env);
  if (!live) liveCache.set(env, (live = liveRegsBefore(env.prog, env.cfg)));
  const lv = live;
  const top = s.frames.length - 1;
  return (k) => {
    if (k === top) return lv[idx]!;
    const callee = s.frames[k + 1]!;
    if (callee.inCallback) return lv[callee.callsite]!;
    return (lv[callee.callsite + 1] ?? 0x7ff) & 0b11111000000;
  };
}

/** `is_state_visited`: true when the current state is covered by a completed checkpoint. */
function isStateVisited(env: Env, ex: ExploreContext, idx: number): boolean {
  const cur = env.cur;
  const live = liveOf(env, cur, idx);
  let list = ex.checkpoints.get(idx);
  const force = env.cfg.forceCheckpoint[idx] === 1 || histCount(cur) > 40;
  let addNew = force;
  const loopHead = isLoopHead(env, idx);
  // the kernel's max_states_per_insn counts the states found at entry (before a new one is added)
  const statesCnt = list ? list.length : 0;
  if (ex.jmpsProcessed - ex.prevJmpsProcessed >= 2 && env.insnProcessed - ex.prevInsnProcessed >= 8) addNew = true;
  if (list) {
    for (let k = 0; k < list.length; k++) {
      const c = list[k]!;
      if (c.state.frames.length !== cur.frames.length) continue;
      if (c.branches > 0) {
        // still being explored: we came back around a loop. At may_goto (another depth) and at an iterator's next
        // (iterator still active) a state range-within the earlier iteration's has converged (§18.2, §18.7).
        if (loopHead === 'may_goto' ? c.state.mayGotoDepth !== cur.mayGotoDepth && statesEqual(c.state, cur, 'range', undefined, live)
          : loopHead === 'iter_next' ? statesEqual(c.state, cur, 'range', undefined, live) && iterActiveAtR1(cur)
          : loopHead === 'callback' ? statesEqual(c.state, cur, 'range', undefined, live) : false) {
          c.hit++;
          propagatePrecision(env, c, cur);
          loopBackedge(env, c, c, cur);
          return true;
        }
        if (!env.cfg.forceCheckpoint[idx] && maybeLooping(c.state, cur) && statesEqual(c.state, cur, 'exact')) {
          const log = env.log;
          const line = sourceLineAt(env, idx);
          if (line) log.source(line.file, line.line, line.text);
          reject(
            idx,
            'EINVAL',
            `infinite loop detected at insn ${idx}`,
            `cur state:${log.dump(cur, cur.frames.length - 1)}`,
            `old state:${log.dump(withPrecisionMarks(c), c.state.frames.length - 1)}`,
          );
        }
        if (!force && ex.jmpsProcessed - ex.prevJmpsProcessed < 20 && env.insnProcessed - ex.prevInsnProcessed < 100) addNew = false;
      } else {
        const entry = activeLoopEntry(c);
        if (statesEqual(c.state, cur, entry ? 'range' : 'notExact', c.prec, live)) {
          c.hit++;
          propagatePrecision(env, c, cur);
          if (entry) loopBackedge(env, entry, c, cur);
          return true;
        }
      }
      // miss: states that keep missing are dropped from the search list (stats only)
      if (addNew) c.miss++;
      const n = env.cfg.forceCheckpoint[idx] && c.branches > 0 ? 64 : 3;
      if (c.miss > c.hit * n + n) {
        list.splice(k, 1);
        k--;
        if (c.branches > 0) c.evicted = true;
        else {
          env.curStates--;
          env.stateBytes -= c.bytes ?? 0;
        }
      }
    }
  }
  if (statesCnt > env.maxStatesPerInsn) env.maxStatesPerInsn = statesCnt;
  if (!addNew) return false;
  ex.prevJmpsProcessed = ex.jmpsProcessed;
  ex.prevInsnProcessed = env.insnProcessed;
  const cp: Checkpoint = { state: cloneState(cur), insnIdx: idx, branches: 1, parent: cur.parent, hit: 0, miss: 0, prec: new Set(), depth: cur.parent ? cur.parent.depth + 1 : 0 };
  cp.state.parent = cur.parent;
  // the history up to here belongs to the checkpoint; the live state starts a new one
  cp.state.hist = cur.hist;
  cur.hist = [];
  cur.parent = cp;
  if (!list) ex.checkpoints.set(idx, (list = []));
  list.push(cp);
  env.totalStates++;
  env.curStates++;
  if (env.curStates > env.peakStates) env.peakStates = env.curStates;
  cp.bytes = stateBytes(cp.state);
  keepState(env, cp.bytes);
  return false;
}

/** The checkpoint's state as Linux prints it: backtracked precision shows as `P` marks. */
function withPrecisionMarks(c: Checkpoint): VState {
  const st = cloneState(c.state);
  st.frames.forEach((f, fr) => {
    f.regs.forEach((r, i) => {
      if (c.prec.has(regKey(fr, i))) r.precise = true;
    });
    f.stack.forEach((sl, spi) => {
      if (sl.spilled && c.prec.has(slotKey(fr, spi))) sl.spilled.precise = true;
    });
  });
  return st;
}

/** `states_maybe_looping`: the current frame's registers are identical (cheap filter before the exact comparison). */
function maybeLooping(o: VState, c: VState): boolean {
  const of = o.frames[o.frames.length - 1]!.regs;
  const cf = c.frames[c.frames.length - 1]!.regs;
  for (let i = 0; i < of.length; i++) {
    const a = of[i]!;
    const b = cf[i]!;
    if (a.type !== b.type || a.off !== b.off || a.s.varOff.value !== b.s.varOff.value || a.s.varOff.mask !== b.s.varOff.mask || a.s.umin !== b.s.umin || a.s.umax !== b.s.umax) return false;
  }
  return true;
}

/** Explores every path from the current state until all are done; throws `Reject` at the first error. */
export function doCheck(env: Env, ex: ExploreContext): void {
  const limit = env.platform.limits.maxInsnsProcessed;
  const log = env.log;
  for (;;) {
    const idx = env.cur.insnIdx;
    const insn = env.prog.insns[idx];
    if (insn === undefined) reject(idx, 'EFAULT', `invalid insn idx ${idx} insn_cnt ${env.prog.length}`);
    if (++env.insnProcessed > limit) reject(idx, 'E2BIG', `BPF program is too large. Processed ${env.insnProcessed} insn`);
    env.insnIdx = idx;
    if (env.cfg.prunePoint[idx] && isStateVisited(env, ex, idx)) {
      if (log.level === 2) log.line(`${idx}: safe`);
      endPath(env, env.cur);
      if (!popBranch(env)) return;
      continue;
    }
    const cls = insn.code & 0x07;
    if (cls === 0x05 || cls === 0x06) ex.jmpsProcessed++;
    if (log.enabled) {
      const line = sourceLineAt(env, idx);
      if (line) log.source(line.file, line.line, line.text);
      log.insn(idx, env.input.kfuncName ? formatWithKfunc(env, insn) : formatCached(env, idx));
    }
    env.scratchRegs = 0;
    env.scratchSlots.clear();
    env.scratchAll = false;
    env.nextIdx = idx + (insn.code === Op.LD_IMM64 ? 2 : 1);
    const startState = env.cur;
    const hist = (env.curHist = newHistEntry(env, idx));
    checkInsn(env, insn);
    env.curHist = undefined;
    if (env.cur === startState) env.cur.hist.push(hist);
    if (log.enabled) {
      const fi = env.cur.frames.length - 1;
      const items = env.scratchAll
        ? log.dump(env.cur, fi)
        : env.scratchRegs || env.scratchSlots.size
          ? log.dump(env.cur, fi, { regs: env.scratchRegs, slots: env.scratchSlots })
          : '';
      log.annotate(idx, items, env.scratchAll || env.scratchRegs !== 0 || env.scratchSlots.size > 0);
    }
    if (env.nextIdx < 0) {
      endPath(env, env.cur);
      if (!popBranch(env)) return;
      continue;
    }
    env.cur.prevInsnIdx = idx;
    env.cur.insnIdx = env.nextIdx;
  }
}

import { formatInsnWithCode, type Insn } from '@bpfkit/isa';

const textCache = new WeakMap<Env, string[]>();
function formatCached(env: Env, idx: number): string {
  let c = textCache.get(env);
  if (!c) textCache.set(env, (c = []));
  return (c[idx] ??= mapAddressText(env.prog.insns[idx]!, formatInsnWithCode(env.prog.insns[idx]!, { pseudo: 'kernel' })));
}
/**
 * The kernel prints a map ld_imm64 with the `struct bpf_map *` address (or the
 * value's address) it was rewritten to; we print a stand-in kernel-looking
 * address of the same width, so the annotation column matches.
 */
function mapAddressText(insn: Insn, text: string): string {
  if (insn.code !== Op.LD_IMM64 || ![1, 2, 5, 6].includes(insn.src)) return text;
  const fakeAddr = 0xffff888100000000n + BigInt(insn.imm >>> 0) * 0x1000n + (insn.src === 2 || insn.src === 6 ? 0x100n + BigInt(insn.imm2 >>> 0) : 0n);
  return text.replace(/ = .*$/, ` = 0x${fakeAddr.toString(16)}`);
}
function formatWithKfunc(env: Env, insn: Insn): string {
  const kfuncName = env.input.kfuncName!;
  return mapAddressText(insn, formatInsnWithCode(insn, { pseudo: 'kernel', kfuncName }));
}

export { curFrame };
