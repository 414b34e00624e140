/**
 * `verify(input, opts)`: the whole verification of one program, in Linux's
 * pass order (verifier-core.md §1.2), with its log and report.
 */
import { linux618, type Platform } from '@bpfkit/platform';
import { checkProgram, discoverSubprogs, type CfgInfo } from './cfg.js';
import { sourceLineAt, type Env } from './env.js';
import { Reject, VerifierInternalError } from './errors.js';
import { DEFAULT_MAX_STATE_MEMORY, doCheck, newExploreContext } from './explore.js';
import { VerifierLog, statsLine } from './log.js';
import { toSlots } from './program.js';
import { initialState } from './state.js';
import type { VerifyError, VerifyInput, VerifyOptions, VerifyResult, VerifyStats } from './types.js';
import { afterExploration } from './finish.js';
import { nowMs } from './clock.js';
import { licenseIsGpl } from './call/helper.js';
import { checkAttachTarget } from './attach.js';
import { checkGraphMapCompat } from './graph/prog-compat.js';
import { explanationOf, relatedOf } from './explain.js';
import { structMetasOf } from './object-input.js';
import type { BtfStructMeta } from '@bpfkit/btf';

export class VerifierInputError extends Error {
  override readonly name = 'VerifierInputError';
}

/**
 * At level 1 the trace is only kept for a failing program, and exploration never depends on the log: the program
 * is first verified without a log and, only when it fails, verified again with the level-1 log (same verdict,
 * same trace as a single logged run).
 */
export function verify(input: VerifyInput, opts: VerifyOptions = {}): VerifyResult {
  if ((opts.logLevel ?? 1) !== 1) return verifyOnce(input, opts);
  const quick = verifyOnce(input, { ...opts, logLevel: 0 });
  if (quick.accepted) {
    const platform: Platform = opts.platform ?? linux618;
    const st = quick.stats;
    let text = '';
    if (opts.stats) {
      text += `verification time ${st.timeUs} usec\n`;
      text += `stack depth ${st.stackDepths.join('+') || '0'}\n`;
    }
    text += statsLine(st.insnsProcessed, platform.limits.maxInsnsProcessed, st.maxStatesPerInsn, st.totalStates, st.peakStates) + '\n';
    return { ...quick, log: text };
  }
  const full = verifyOnce(input, opts);
  full.stats.timeUs += quick.stats.timeUs;
  return full;
}

/** Local object records from the program BTF when the caller did not give them (`btf_parse_struct_metas`). */
function withStructMetas(input: VerifyInput): VerifyInput {
  if (input.structMetas || !input.btf) return input;
  let metas = metasCache.get(input.btf);
  if (metas === undefined) {
    metas = structMetasOf(input.btf) ?? null;
    metasCache.set(input.btf, metas);
  }
  return metas ? { ...input, structMetas: metas } : input;
}
const metasCache = new WeakMap<object, ReadonlyMap<number, BtfStructMeta> | null>();

function verifyOnce(rawInput: VerifyInput, opts: VerifyOptions): VerifyResult {
  const input = withStructMetas(rawInput);
  const t0 = nowMs();
  const platform: Platform = opts.platform ?? linux618;
  const progType = platform.progType(input.progType);
  if (!progType) throw new VerifierInputError(`unknown program type '${input.progType}'`);
  const logLevel = opts.logLevel ?? 1;
  const btf = input.btf;
  const btfName = btf ? (id: number) => btf.types[id]?.name ?? '' : undefined;
  const log = new VerifierLog(logLevel, btfName);
  const prog = toSlots(input.insns);
  const maps = input.maps ?? [];
  const stats: VerifyStats = { insnsProcessed: 0, totalStates: 0, peakStates: 0, maxStatesPerInsn: 0, timeUs: 0, stackDepths: [] };
  let env: Env | undefined;
  let error: VerifyError | null = null;
  try {
    const cfg: CfgInfo = checkProgram(prog, maps, (m) => checkGraphMapCompat(progType, m), (id) => platform.kfuncByBtfId(id)?.name === 'bpf_rbtree_add_impl', (id) => platform.kfuncByBtfId(id)?.name === 'bpf_iter_num_next', input.license === undefined || licenseIsGpl(input.license));
    checkAttachTarget(progType, input.progFlags ?? 0);
    env = {
      input,
      platform,
      progType,
      prog,
      cfg,
      log,
      maps,
      strictAlignment: ((input.progFlags ?? 0) & 1) !== 0,
      allowPtrLeaks: true,
      bpfCapable: true,
      cur: initialState(),
      insnIdx: 0,
      nextIdx: 0,
      scratchRegs: 0,
      scratchSlots: new Set(),
      scratchAll: false,
      pending: [],
      idGen: 0,
      insnProcessed: 0,
      totalStates: 0,
      peakStates: 0,
      curStates: 0,
      maxStatesPerInsn: 0,
      stateBytes: 0,
      maxStateBytes: opts.maxStateMemory ?? DEFAULT_MAX_STATE_MEMORY,
      verifyingGlobal: false,
      globalsToVerify: new Set(),
    };
    if (log.enabled) log.line(`0:${log.dump(env.cur, 0)}`);
    doCheck(env, newExploreContext());
    // do_check_common: at level 1 a successful exploration leaves nothing in the log
    if (logLevel === 1) log.truncate(0);
    afterExploration(env);
  } catch (e) {
    if (e instanceof Reject) {
      for (const l of e.lines) log.errorLine(l);
      const line = e.insn >= 0 && env ? sourceLineAt(env, e.insn) : undefined;
      const message = e.lines[0] ?? '';
      const related = relatedOf(env, e);
      const explanation = explanationOf(message, related);
      error = {
        insn: e.insn,
        message,
        lines: e.lines,
        errno: e.errno,
        ...(line ? { line } : {}),
        ...(explanation ? { explanation } : {}),
        ...(related.length ? { related } : {}),
      };
    } else if (e instanceof VerifierInternalError) {
      throw e;
    } else {
      throw new VerifierInternalError(e instanceof Error ? `${e.name}: ${e.message}` : String(e), env?.insnIdx ?? -1);
    }
  }
  if (env) {
    stats.insnsProcessed = env.insnProcessed;
    stats.totalStates = env.totalStates;
    stats.peakStates = env.peakStates;
    stats.maxStatesPerInsn = env.maxStatesPerInsn;
    // do_misc_fixups: a subprogram with a may_goto gets the 16-byte hidden budget below its stack (§18.3, timed variant)
    const prog2 = env.prog;
    const hasMayGoto = (s: { start: number; end: number }) => {
      for (let i = s.start; i < s.end; i++) if (!prog2.secondHalf[i] && prog2.insns[i]!.code === 0xe5 && prog2.insns[i]!.off !== 0) return true;
      return false;
    };
    stats.stackDepths = env.cfg.subprogs.map((s) => (hasMayGoto(s) ? ((s.stackDepth + 7) & ~7) + 16 : s.stackDepth));
  } else {
    // rejected by a program-level pass: the kernel has found the subprograms already (stack depth 0 each)
    try {
      stats.stackDepths = discoverSubprogs(prog).map(() => 0);
    } catch {
      stats.stackDepths = [0];
    }
  }
  stats.timeUs = Math.round((nowMs() - t0) * 1000);
  let text = '';
  if (log.enabled) {
    // level 1 keeps the trace only for a failing program
    text = error || logLevel === 2 ? log.finish() : '';
    if (opts.stats) {
      text += `verification time ${stats.timeUs} usec\n`;
      text += `stack depth ${stats.stackDepths.join('+') || '0'}\n`;
    }
    text += statsLine(stats.insnsProcessed, platform.limits.maxInsnsProcessed, stats.maxStatesPerInsn, stats.totalStates, stats.peakStates) + '\n';
  }
  return { accepted: error === null, error, log: text, stats };
}
