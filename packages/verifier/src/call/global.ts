/**
 * Global functions (BTF linkage `global`, verifier-core.md §12.2): the call site
 * checks arguments against the BTF prototype and continues with an unknown R0;
 * each called global function is verified afterwards on its own, once, with
 * arguments built from its prototype.
 */
import type { Btf, BtfType } from '@bpfkit/btf';
import type { Env } from '../env.js';
import { nextId } from '../env.js';
import { Reject, reject } from '../errors.js';
import { doCheck, newExploreContext } from '../explore.js';
import { checkHelperMemAccess } from './helper-mem.js';
import { notInit, ptrReg, unknownScalar } from '../reg.js';
import { curFrame, newFrame } from '../state.js';
import { F, T, type RegState } from '../types.js';
import { checkFuncArgRegOff, clearAllPktPointers } from './common.js';

export type GlobalArg = { kind: 'scalar' } | { kind: 'ctx' } | { kind: 'mem'; size: number } | { kind: 'unsupported'; why: string };

export interface GlobalProto {
  name: string;
  args: GlobalArg[];
  /** Message when the prototype itself cannot be used. */
  error?: string;
}

function skipMods(btf: Btf, id: number): BtfType | undefined {
  for (let k = 0; k < 64; k++) {
    const t = btf.types[id];
    if (!t) return undefined;
    if (t.kind === 'TYPEDEF' || t.kind === 'CONST' || t.kind === 'VOLATILE' || t.kind === 'RESTRICT' || t.kind === 'TYPE_TAG') {
      id = t.type;
      continue;
    }
    return t;
  }
  return undefined;
}

function sizeOf(btf: Btf, id: number): number | undefined {
  const t = skipMods(btf, id);
  if (!t) return undefined;
  if (t.kind === 'INT' || t.kind === 'ENUM' || t.kind === 'ENUM64' || t.kind === 'STRUCT' || t.kind === 'UNION' || t.kind === 'FLOAT') return t.size;
  if (t.kind === 'PTR') return 8;
  if (t.kind === 'ARRAY') {
    const e = sizeOf(btf, t.type);
    return e === undefined ? undefined : e * t.nelems;
  }
  return undefined;
}

/** BTF FUNC of the subprogram starting at `start`, from func_info. */
function funcOf(env: Env, subprog: number): { btf: Btf; func: Extract<BtfType, { kind: 'FUNC' }> } | undefined {
  const btf = env.input.btf;
  const start = env.cfg.subprogs[subprog]?.start;
  const rec = env.input.funcInfo?.find((f) => f.insn === start);
  if (!btf || !rec) return undefined;
  const t = btf.types[rec.typeId];
  return t && t.kind === 'FUNC' ? { btf, func: t } : undefined;
}

export function isGlobalSubprog(env: Env, subprog: number): boolean {
  if (subprog === 0) return false;
  return funcOf(env, subprog)?.func.linkage === 1;
}

export function subprogName(env: Env, subprog: number): string {
  return funcOf(env, subprog)?.func.name ?? `func#${subprog}`;
}

/** `btf_prepare_func_args` for a global function. */
export function globalProto(env: Env, subprog: number): GlobalProto {
  const f = funcOf(env, subprog)!;
  const name = f.func.name;
  const proto = f.btf.types[f.func.type];
  if (!proto || proto.kind !== 'FUNC_PROTO') return { name, args: [], error: `Invalid type of function ${name}()` };
  const ret = skipMods(f.btf, proto.returnType);
  if (!ret || (ret.kind !== 'INT' && ret.kind !== 'ENUM' && ret.kind !== 'ENUM64')) {
    return { name, args: [], error: `Global function ${name}() doesn't return scalar. Only those are supported.` };
  }
  if (proto.params.length > 5) return { name, args: [], error: `Global function ${name}() with ${proto.params.length} > 5 args. Buggy compiler.` };
  const ctxName = env.progType.ctx.name;
  const args: GlobalArg[] = proto.params.map((p, i) => {
    const t = skipMods(f.btf, p.type);
    if (!t) return { kind: 'unsupported', why: `Arg#${i} type in ${name}() is not supported` };
    if (t.kind === 'INT' || t.kind === 'ENUM' || t.kind === 'ENUM64') return { kind: 'scalar' };
    if (t.kind === 'PTR') {
      const target = skipMods(f.btf, t.type);
      if (target && (target.kind === 'STRUCT' || target.kind === 'UNION') && target.name === ctxName) return { kind: 'ctx' };
      const size = sizeOf(f.btf, t.type);
      if (size !== undefined && size > 0) return { kind: 'mem', size };
    }
    return { kind: 'unsupported', why: `Arg#${i} type ${t.kind} in ${name}() is not supported` };
  });
  return { name, args };
}

function checkGlobalArg(env: Env, a: GlobalArg, i: number, r: RegState): void {
  const regno = i + 1;
  const idx = env.insnIdx;
  switch (a.kind) {
    case 'scalar':
      if (r.type !== T.SCALAR) reject(idx, 'EINVAL', `R${regno} is not a scalar`);
      return;
    case 'ctx':
      checkFuncArgRegOff(env, r, regno, false);
      if (r.type !== T.PTR_TO_CTX) reject(idx, 'EINVAL', `arg#${i} expects pointer to ctx`);
      return;
    case 'mem': {
      checkFuncArgRegOff(env, r, regno, false);
      if (r.type === T.SCALAR && r.s.varOff.mask === 0n && r.s.varOff.value === 0n) return;
      const saved = r.flags;
      r.flags &= ~F.MAYBE_NULL;
      try {
        checkHelperMemAccess(env, regno, a.size, { write: false, zeroSizeAllowed: true, raw: false });
        checkHelperMemAccess(env, regno, a.size, { write: true, zeroSizeAllowed: true, raw: false });
      } finally {
        r.flags = saved;
      }
      return;
    }
    case 'unsupported':
      reject(idx, 'EINVAL', a.why);
  }
}

/** `call pc+K` to a global function (frame limit already checked). */
export function checkGlobalCall(env: Env, subprog: number): void {
  const idx = env.insnIdx;
  const p = globalProto(env, subprog);
  const regs = curFrame(env.cur).regs;
  let argLines: string[] = [];
  try {
    if (p.error) reject(idx, 'EINVAL', p.error);
    p.args.forEach((a, i) => checkGlobalArg(env, a, i, regs[i + 1]!));
  } catch (e) {
    if (!(e instanceof Reject)) throw e;
    argLines = [...e.lines];
  }
  if (env.cur.activeLock) reject(idx, 'EINVAL', ...argLines, 'global function calls are not allowed while holding a lock,', 'use static function instead');
  if (argLines.length) reject(idx, 'EINVAL', ...argLines, `Caller passes invalid args into func#${subprog} ('${p.name}')`);
  if (env.log.enabled) env.log.line(`Func#${subprog} ('${p.name}') is global and assumed valid.`);
  if (changesPktData(env, subprog, new Set())) clearAllPktPointers(env.cur);
  env.globalsToVerify.add(subprog);
  for (let i = 0; i <= 5; i++) regs[i] = notInit();
  regs[0] = unknownScalar();
  env.scratchRegs |= 0b111111;
}

/** Whether a subprogram (transitively through static calls) calls a packet-changing helper. */
function changesPktData(env: Env, subprog: number, seen: Set<number>): boolean {
  if (seen.has(subprog)) return false;
  seen.add(subprog);
  const s = env.cfg.subprogs[subprog]!;
  for (let i = s.start; i < s.end; i++) {
    const insn = env.prog.insns[i]!;
    if (insn.code !== 0x85 || env.prog.secondHalf[i]) continue;
    if (insn.src === 0 && env.platform.helper(insn.imm)?.changesPktData) return true;
    if (insn.src === 1 && changesPktData(env, env.cfg.subprogOf[i + insn.imm + 1]!, seen)) return true;
  }
  return false;
}

/** Verifies every called global function (pass 11), including ones called from other globals. */
export function verifyCalledGlobals(env: Env): void {
  const done = new Set<number>();
  for (;;) {
    const todo = [...env.globalsToVerify].filter((s) => !done.has(s)).sort((a, b) => a - b);
    if (todo.length === 0) return;
    for (const sub of todo) {
      done.add(sub);
      verifyGlobal(env, sub);
    }
  }
}

function verifyGlobal(env: Env, subprog: number): void {
  const p = globalProto(env, subprog);
  const start = env.cfg.subprogs[subprog]!.start;
  if (env.log.enabled) env.log.line(`Validating ${p.name}() func#${subprog}...`);
  const f = newFrame(0, subprog, -1);
  p.args.forEach((a, i) => {
    if (a.kind === 'scalar') f.regs[i + 1] = unknownScalar();
    else if (a.kind === 'ctx') f.regs[i + 1] = ptrReg(T.PTR_TO_CTX);
    else if (a.kind === 'mem') {
      const r = ptrReg(T.PTR_TO_MEM, F.MAYBE_NULL);
      r.memSize = a.size;
      r.id = nextId(env);
      f.regs[i + 1] = r;
    }
  });
  env.cur = { frames: [f], refs: [], activeLock: 0, lockInsn: -1, lastInval: undefined, lastConvert: -1, insnIdx: start, prevInsnIdx: -1, mayGotoDepth: 0, parent: undefined, speculative: false, hist: [] };
  if (env.log.enabled) env.log.line(`${start}:${env.log.dump(env.cur, 0)}`);
  const wasGlobal = env.verifyingGlobal;
  env.verifyingGlobal = true;
  try {
    doCheck(env, newExploreContext());
  } finally {
    env.verifyingGlobal = wasGlobal;
  }
  // do_check_common: at level 1 a successful exploration leaves nothing in the log
  if (env.log.level === 1) env.log.truncate(0);
  if (env.log.enabled) env.log.line(`Func#${subprog} ('${p.name}') is safe for any args that match its prototype`);
}
