#!/usr/bin/env node
/**
 * Generated programs through the real kernel (issue 7): where the kernel oracle is present (root,
 * Linux 6.18, tools/oracle/bpf-oracle), the programs of the soundness generator
 * (scripts/fuzz-soundness.mjs, generateProgram(caseSeed(seed, i))) are loaded through the kernel
 * the way `tools/oracle/record.mjs --graph` loads the graph cases — graph_types' BTF after libbpf's
 * fixups (BPF_BTF_LOAD), its maps created with their BTF key/value ids, the map fds in fd_array,
 * kfunc calls with vmlinux BTF ids, func_info for the main function and every subprogram as
 * verifierInput() gives, a tc program (type 3) under GPL — and the kernel's verdict (accepted, first
 * error line, errno) is compared with ours (verify() on the built packages). Accepted by us and
 * rejected by Linux is a bug (an unsound accept as far as Linux is concerned); the reverse is
 * reported. Never attaches, pins or runs a program.
 *
 *   node scripts/fuzz-kernel.mjs [--cases N] [--seed S] [--from I] [--out FILE] [--check]
 *   node scripts/fuzz-kernel.mjs --seed S --show I        one case: both verdicts, disassembly, kernel log tail
 *   node scripts/fuzz-kernel.mjs --seed S --minimize I    one disagreeing case shrunk (delta debugging on
 *                                                         instructions) while it still disagrees the same way
 *
 * Writes FILE (default fixtures/fuzz-kernel-verdicts.json): {seed, from, cases, kernel, commit, tally,
 * samples: [{index, hash, kernel: {accepted, message, errno}, ours: {accepted, message}}]}; `hash` is
 * the first 12 hex digits of the SHA-256 of the program's bytes, so a reader can tell when the
 * generator no longer makes the program the kernel saw. --check writes nothing: it prints the
 * disagreements, and the cases whose kernel verdict differs from the one recorded in FILE.
 * Runs on the built packages (`npm run build` first), like scripts/fuzz.mjs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bytesToHex, encode } from '@bpfkit/isa';
import { verify } from '@bpfkit/verifier';
import { caseSeed, disasm, generateProgram, ROOT, shrink, verifierInput } from './fuzz-soundness.mjs';

const LOG_LEVEL = 5; // 1|4, as record.mjs: the error lines and the stats
const WINDOW = 4; // requests in flight: the kernel verifies one while we verify the next
const PROGRESS_MS = 3000;

function parseArgs(argv) {
  const a = { cases: 1000, seed: 2026, from: 0, out: join(ROOT, 'fixtures', 'fuzz-kernel-verdicts.json'), check: false, show: undefined, minimize: undefined };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    const num = () => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${k}: expected a non-negative integer, got '${v}'`);
      i++;
      return n;
    };
    if (k === '--cases') a.cases = num();
    else if (k === '--seed') a.seed = num() >>> 0;
    else if (k === '--from') a.from = num();
    else if (k === '--show') a.show = num();
    else if (k === '--minimize') a.minimize = num();
    else if (k === '--check') a.check = true;
    else if (k === '--out') {
      if (!v) throw new Error('--out: expected a file');
      a.out = resolve(v);
      i++;
    } else throw new Error(`unknown option '${k}'`);
  }
  return a;
}

function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'scripts'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** The oracle needs root and a kernel with BPF; says why it is absent, or undefined. */
function oracleAbsent() {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('make', ['-s', '-C', join(ROOT, 'tools', 'oracle')], { stdio: 'inherit' });
  } catch {
    return 'tools/oracle/bpf-oracle does not build';
  }
  return undefined;
}

export const programHash = (insns) => createHash('sha256').update(encode(insns)).digest('hex').slice(0, 12);

/** Our verdict: {accepted, message, errno} (an exception out of verify() is a rejection 'internal: …'). */
function ourVerdict(insns) {
  try {
    const r = verify(verifierInput(insns), { logLevel: 0 });
    return r.accepted ? { accepted: true, message: null, errno: '' } : { accepted: false, message: r.error?.message ?? '', errno: r.error?.errno ?? '' };
  } catch (e) {
    return { accepted: false, message: `internal: ${e?.name ?? 'Error'}: ${e?.message ?? e}`, errno: 'internal' };
  }
}

/** agree | weAcceptKernelRejects | weRejectKernelAccepts | bothRejectDifferentMessage */
export function classify(kernel, ours) {
  if (ours.accepted && !kernel.accepted) return 'weAcceptKernelRejects';
  if (!ours.accepted && kernel.accepted) return 'weRejectKernelAccepts';
  if (!ours.accepted && ours.message !== kernel.message) return 'bothRejectDifferentMessage';
  return 'agree';
}

/** A disagreement class: the category and both messages with numbers blanked. */
const norm = (m) => (m ?? '').replace(/\d+/g, 'N');
const classKey = (kernel, ours) => `${classify(kernel, ours)} | ours: ${ours.accepted ? 'accept' : norm(ours.message)} | kernel: ${kernel.accepted ? 'accept' : norm(kernel.message)}`;

async function main() {
  let a;
  try {
    a = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz-kernel: ${e.message}\nusage: node scripts/fuzz-kernel.mjs [--cases N] [--seed S] [--from I] [--out FILE] [--check] | --show I | --minimize I`);
    process.exit(2);
  }
  const absent = oracleAbsent();
  if (absent) {
    console.error(`fuzz-kernel: the kernel oracle is not available here (${absent}); nothing to do`);
    process.exit(2);
  }
  const { importTesting, objectParts, OBJ_DIR, Oracle } = await import(join(ROOT, 'tools', 'oracle', 'oracle-client.mjs'));
  const testing = await importTesting(['cases', 'graph-object']);
  const { extractError } = testing.cases;
  const go = testing['graph-object'];
  const obj = go.loadCaseObject('graph_types', OBJ_DIR);
  const kernelRelease = execFileSync('uname', ['-r']).toString().trim();
  const oracle = new Oracle();

  /** The load request of a generated program: graph_types' BTF, func_info and maps, as record.mjs --graph. */
  const request = (insns) => {
    const input = verifierInput(insns);
    return [
      `type=${input.progType}`, 'attach=0', `flags=${input.progFlags}`, `license=${input.license}`, `log_level=${LOG_LEVEL}`,
      ...objectParts(obj, input.funcInfo, go.kernelMapName),
      `insns=${bytesToHex(encode(insns))}`,
    ].join(' ');
  };
  const kernelVerdict = (res) => {
    if (res.error) throw new Error(`bpf-oracle: ${res.error}${res.btfLog ? `\n${res.btfLog}` : ''}`);
    return res.accepted ? { accepted: true, message: null, errno: '' } : { accepted: false, message: extractError(res.log).errorLines[0] ?? null, errno: res.errnoName };
  };
  const both = async (insns) => {
    const res = await oracle.ask(request(insns));
    return { kernel: kernelVerdict(res), ours: ourVerdict(insns), res };
  };
  const describe = (v) => (v.accepted ? 'accept' : `reject ${v.errno} '${v.message}'`);

  try {
    if (a.show !== undefined || a.minimize !== undefined) {
      const index = a.show ?? a.minimize;
      let { insns } = generateProgram(caseSeed(a.seed, index));
      let r = await both(insns);
      console.log(`seed ${a.seed} index ${index}: ${insns.length} insns, hash ${programHash(insns)}, ${classify(r.kernel, r.ours)}\n  ours   ${describe(r.ours)}\n  kernel ${describe(r.kernel)}`);
      if (a.minimize !== undefined) {
        if (classify(r.kernel, r.ours) === 'agree') throw new Error(`case ${index} agrees with the kernel: nothing to minimize`);
        const want = classKey(r.kernel, r.ours);
        insns = await shrink(insns, async (cand) => {
          const c = await both(cand);
          return classKey(c.kernel, c.ours) === want;
        }, 3000);
        r = await both(insns);
        console.log(`minimized to ${insns.length} insns (${want})\n  ours   ${describe(r.ours)}\n  kernel ${describe(r.kernel)}`);
      }
      console.log(disasm(insns).join('\n'));
      if (!r.kernel.accepted) console.log(`kernel log (tail):\n${r.res.log.split('\n').slice(-40).join('\n')}`);
      return;
    }

    const t0 = Date.now();
    let lastProgress = t0;
    let oursMs = 0;
    let kernelUs = 0;
    const tally = { agree: 0, weAcceptKernelRejects: 0, weRejectKernelAccepts: 0, bothRejectDifferentMessage: 0 };
    const counts = { kernelAccepted: 0, oursAccepted: 0, errnoDiffers: 0 };
    const samples = [];
    const classes = new Map();
    const errnoDiffers = [];
    const inflight = [];
    const finish = async () => {
      const f = inflight.shift();
      const res = await f.reply;
      kernelUs += Math.max(0, res.verificationUs ?? 0);
      const kernel = kernelVerdict(res);
      const cat = classify(kernel, f.ours);
      tally[cat]++;
      if (kernel.accepted) counts.kernelAccepted++;
      if (f.ours.accepted) counts.oursAccepted++;
      if (cat === 'agree' && !kernel.accepted && kernel.errno !== f.ours.errno) {
        counts.errnoDiffers++;
        if (errnoDiffers.length < 20) errnoDiffers.push(`#${f.index}: ${kernel.errno} (ours ${f.ours.errno}) '${kernel.message}'`);
      }
      if (cat !== 'agree') {
        const key = classKey(kernel, f.ours);
        const c = classes.get(key) ?? { n: 0, first: [] };
        c.n++;
        if (c.first.length < 5) c.first.push(f.index);
        classes.set(key, c);
      }
      samples.push({ index: f.index, hash: f.hash, kernel, ours: { accepted: f.ours.accepted, message: f.ours.message } });
      if (Date.now() - lastProgress >= PROGRESS_MS) {
        lastProgress = Date.now();
        const s = (lastProgress - t0) / 1000;
        console.log(`${samples.length}/${a.cases} cases, ${(samples.length / s).toFixed(0)}/s, ${s.toFixed(0)} s — agree ${tally.agree}, we accept/kernel rejects ${tally.weAcceptKernelRejects}, we reject/kernel accepts ${tally.weRejectKernelAccepts}, messages differ ${tally.bothRejectDifferentMessage}`);
      }
    };
    for (let index = a.from; index < a.from + a.cases; index++) {
      const { insns } = generateProgram(caseSeed(a.seed, index));
      const reply = oracle.ask(request(insns));
      const t = performance.now();
      const ours = ourVerdict(insns);
      oursMs += performance.now() - t;
      inflight.push({ index, hash: programHash(insns), reply, ours });
      while (inflight.length >= WINDOW) await finish();
    }
    while (inflight.length) await finish();
    const wall = (Date.now() - t0) / 1000;

    console.log(`\nseed ${a.seed}, cases ${a.from}..${a.from + a.cases - 1} (${a.cases}) on Linux ${kernelRelease}, ${wall.toFixed(1)} s wall (ours ${(oursMs / 1000).toFixed(1)} s, kernel verification ${(kernelUs / 1e6).toFixed(1)} s)`);
    console.log(`kernel accepted ${counts.kernelAccepted}, we accepted ${counts.oursAccepted}`);
    console.log(`agree ${tally.agree}, we accept / kernel rejects ${tally.weAcceptKernelRejects}, we reject / kernel accepts ${tally.weRejectKernelAccepts}, both reject with a different first line ${tally.bothRejectDifferentMessage}`);
    if (counts.errnoDiffers) console.log(`same verdict and message, different errno: ${counts.errnoDiffers}\n  ${errnoDiffers.join('\n  ')}`);
    for (const [key, c] of [...classes].sort((x, y) => y[1].n - x[1].n)) console.log(`  ${String(c.n).padStart(5)}  ${key}  (e.g. ${c.first.map((i) => `#${i}`).join(' ')})`);

    if (a.check) {
      if (existsSync(a.out)) {
        const rec = JSON.parse(readFileSync(a.out, 'utf8'));
        if (rec.seed === a.seed) {
          const byIndex = new Map(rec.samples.map((s) => [s.index, s]));
          let compared = 0;
          const changed = [];
          for (const s of samples) {
            const r = byIndex.get(s.index);
            if (!r) continue;
            compared++;
            if (r.hash !== s.hash) changed.push(`#${s.index}: program changed (hash ${r.hash} recorded, ${s.hash} now): the generator moved, re-record`);
            else if (r.kernel.accepted !== s.kernel.accepted || r.kernel.message !== s.kernel.message) changed.push(`#${s.index}: kernel ${describe(s.kernel)}, recorded ${describe(r.kernel)}`);
          }
          console.log(`against ${a.out}: ${compared} recorded cases compared, ${changed.length} differ${changed.length ? `\n  ${changed.slice(0, 50).join('\n  ')}` : ''}`);
        }
      }
      return;
    }
    const record = {
      seed: a.seed,
      from: a.from,
      cases: a.cases,
      kernel: kernelRelease,
      commit: gitCommit(),
      generator: 'scripts/fuzz-soundness.mjs generateProgram(caseSeed(seed, index)), default options; tc (3), GPL, graph_types BTF/maps/func_info',
      tally,
      samples,
    };
    // one sample per line: compact, and diffs stay readable
    const body = [
      '{',
      ...Object.entries(record).filter(([k]) => k !== 'samples').map(([k, v]) => ` ${JSON.stringify(k)}: ${JSON.stringify(v)},`),
      ' "samples": [',
      samples.map((s) => `  ${JSON.stringify(s)}`).join(',\n'),
      ' ]',
      '}',
    ].join('\n');
    writeFileSync(a.out, body + '\n');
    console.log(`wrote ${a.out}`);
  } finally {
    await oracle.close();
  }
}

// run as a script only (tests import classify/programHash)
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main().catch((e) => {
    console.error(`fuzz-kernel: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
