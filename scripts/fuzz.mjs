#!/usr/bin/env node
/**
 * Fuzz campaigns (issue 7) on the built packages:
 *
 *   npm run fuzz -- --cases N [--kind parsers|programs|all] [--seed S] [--out DIR] [--workers W]
 *                   [--hard-ms MS] [--from I]
 *
 * `parsers`: mutated ELF / BTF / BTF.ext inputs (scripts/fuzz-parsers.mjs); `programs`: generated
 * programs through the verifier and, when accepted, both engines in checked mode
 * (scripts/fuzz-soundness.mjs). Cases are split among worker threads in chunks; each worker
 * publishes the case it is on in shared memory, and the main thread kills and restarts a worker
 * stuck on one case longer than --hard-ms (a hang finding) or dead of memory exhaustion (a memory
 * finding). Cases slower than 1 s are flagged as hangs too. Findings (minimized reproducers for
 * programs, the mutated bytes for parser inputs) go to DIR; DIR/summary.json has the figures.
 * Every case is reproducible alone from (seed, index): `--from I --cases 1`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const SLOW_MS = 1000;
const CHUNK = 100;

if (isMainThread) await main();
else await worker();

/** The commit the campaign ran at (with '+dirty' when the tree has changes), for the record. */
function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'scripts'], { encoding: 'utf8' }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

function parseArgs(argv) {
  const a = { cases: 10_000, kind: 'all', seed: 1, out: 'fuzz-out', workers: Math.min(2, availableParallelism()), hardMs: 60_000, from: 0, memMb: 1024 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    const num = () => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${k}: expected a number, got '${v}'`);
      i++;
      return n;
    };
    if (k === '--cases') a.cases = num();
    else if (k === '--seed') a.seed = num() >>> 0;
    else if (k === '--workers') a.workers = Math.max(1, num());
    else if (k === '--hard-ms') a.hardMs = num();
    else if (k === '--from') a.from = num();
    else if (k === '--mem-mb') a.memMb = num();
    else if (k === '--out') {
      a.out = v;
      i++;
    } else if (k === '--kind') {
      if (!['parsers', 'programs', 'all'].includes(v)) throw new Error(`--kind: parsers, programs or all, not '${v}'`);
      a.kind = v;
      i++;
    } else if (k === '--help' || k === '-h') {
      console.log('usage: node scripts/fuzz.mjs --cases N [--kind parsers|programs|all] [--seed S] [--out DIR] [--workers W] [--hard-ms MS] [--from I]');
      process.exit(0);
    } else throw new Error(`unknown option '${k}'`);
  }
  return a;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz: ${e.message}`);
    process.exit(2);
  }
  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });
  const kinds = args.kind === 'all' ? ['parsers', 'programs'] : [args.kind];
  const summary = { seed: args.seed, from: args.from, workers: args.workers, commit: gitCommit(), node: process.version, started: new Date().toISOString(), kinds: {} };
  for (const kind of kinds) summary.kinds[kind] = await campaign(kind, args, out);
  summary.finished = new Date().toISOString();
  writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(`\nsummary (${join(out, 'summary.json')}):`);
  for (const [kind, s] of Object.entries(summary.kinds)) console.log(`  ${kind}: ${line(s.tally)} in ${s.seconds.toFixed(0)} s (${(s.cases / s.seconds).toFixed(0)} cases/s), findings ${s.findings}`);
  const bad = Object.values(summary.kinds).reduce((n, s) => n + s.findings, 0);
  process.exitCode = bad ? 1 : 0;
}

function line(tally) {
  return Object.entries(tally)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function campaign(kind, args, out) {
  return new Promise((resolveCampaign) => {
    const t0 = Date.now();
    const end = args.from + args.cases;
    let next = args.from;
    const requeue = [];
    const tally = { cases: 0 };
    let findings = 0;
    const findingList = [];
    const workers = new Set();
    let lastPrint = Date.now();

    const take = () => {
      if (requeue.length) return requeue.shift();
      if (next >= end) return undefined;
      const c = [next, Math.min(end, next + CHUNK)];
      next = c[1];
      return c;
    };
    const record = (f) => {
      findings++;
      if (findingList.length < 200) findingList.push(f);
      const name = `${kind}-${args.seed}-${f.index}-${f.kind}.json`;
      writeFileSync(join(out, name), JSON.stringify({ kind, seed: args.seed, ...f }, null, 2) + '\n');
      console.log(`finding: ${kind} case ${f.index}: ${f.kind}: ${String(f.detail).split('\n')[0]} -> ${name}`);
    };
    const progress = (force) => {
      const now = Date.now();
      if (!force && now - lastPrint < 5000) return;
      lastPrint = now;
      const s = (now - t0) / 1000;
      console.log(`[${kind}] ${tally.cases}/${args.cases} cases, ${(tally.cases / Math.max(s, 0.001)).toFixed(0)} cases/s, ${s.toFixed(0)} s | ${line(tally)} | findings ${findings}`);
    };

    const spawn = () => {
      const sab = new SharedArrayBuffer(16);
      const shared = { at: new Int32Array(sab, 0, 1), since: new BigInt64Array(sab, 8, 1) };
      shared.at[0] = -1;
      const w = new Worker(fileURLToPath(import.meta.url), {
        workerData: { kind, seed: args.seed, sab, out },
        resourceLimits: { maxOldGenerationSizeMb: args.memMb },
      });
      const st = { w, shared, chunk: undefined, dead: false };
      workers.add(st);
      const give = () => {
        st.chunk = take();
        if (st.chunk) w.postMessage({ chunk: st.chunk });
        else {
          st.dead = true;
          w.terminate();
        }
      };
      w.on('message', (m) => {
        if (m.ready) return give();
        if (m.finding) return record(m.finding);
        if (m.note) return writeFileSync(join(out, `${kind}-${args.seed}-${m.note.index}-${m.note.kind}.json`), JSON.stringify({ kind, seed: args.seed, ...m.note }, null, 2) + '\n');
        if (m.done) {
          for (const [k, v] of Object.entries(m.tally)) tally[k] = (tally[k] ?? 0) + v;
          progress(false);
          give();
        }
      });
      w.on('error', (e) => {
        if (st.dead) return;
        const at = Atomics.load(shared.at, 0);
        const oom = /out of memory|ERR_WORKER_OUT_OF_MEMORY/i.test(`${e.code} ${e.message}`);
        record({ index: at, kind: oom ? 'memory' : 'worker-crash', detail: `${e.code ?? ''} ${e.message}` });
        restart(st, at);
      });
      w.on('exit', () => {
        workers.delete(st);
        if (st.dead && workers.size === 0 && !timer.stopped) finish();
      });
      return st;
    };
    const restart = (st, at) => {
      st.dead = true;
      workers.delete(st);
      st.w.terminate();
      if (st.chunk && at >= 0 && at + 1 < st.chunk[1]) requeue.push([at + 1, st.chunk[1]]);
      tally.cases += 1; // the case itself counts as run (and as a finding)
      spawn();
    };
    const timer = setInterval(() => {
      const now = Date.now();
      for (const st of [...workers]) {
        const at = Atomics.load(st.shared.at, 0);
        const since = Number(Atomics.load(st.shared.since, 0));
        if (at >= 0 && !st.dead && now - since > args.hardMs) {
          record({ index: at, kind: 'hang', detail: `no result after ${args.hardMs} ms: worker killed and restarted` });
          tally.hang = (tally.hang ?? 0) + 1;
          restart(st, at);
        }
      }
      progress(false);
    }, 500);
    const finish = () => {
      timer.stopped = true;
      clearInterval(timer);
      progress(true);
      resolveCampaign({ cases: tally.cases, seconds: (Date.now() - t0) / 1000, tally, findings, findingList });
    };
    for (let i = 0; i < args.workers; i++) spawn();
  });
}

/* ------------------------------------------------------------------ worker */

async function worker() {
  const { kind, seed, sab } = workerData;
  const at = new Int32Array(sab, 0, 1);
  const since = new BigInt64Array(sab, 8, 1);
  const S = await import('./fuzz-soundness.mjs');
  const P = kind === 'parsers' ? await import('./fuzz-parsers.mjs') : undefined;
  const harness = kind === 'programs' ? new S.Harness() : undefined;
  /** The case being run, and since when (the main thread's hang watchdog reads both). */
  const publish = (i) => {
    Atomics.store(since, 0, BigInt(Date.now()));
    Atomics.store(at, 0, i);
  };
  parentPort.on('message', async (m) => {
    if (!m.chunk) return;
    const tally = {};
    const bump = (k) => (tally[k] = (tally[k] ?? 0) + 1);
    for (let i = m.chunk[0]; i < m.chunk[1]; i++) {
      publish(i);
      const cs = S.caseSeed(seed, i);
      bump('cases');
      const t = performance.now();
      if (kind === 'parsers') {
        const r = P.parserCase(cs);
        bump(r.outcome);
        if (r.outcome === 'untyped' || r.outcome === 'noloc') {
          parentPort.postMessage({ finding: { index: i, kind: r.outcome, detail: r.detail, target: r.target, mutation: r.mutation, hex: Buffer.from(r.bytes).toString('hex') } });
        }
        if (r.ms > SLOW_MS) {
          bump('slow');
          parentPort.postMessage({ finding: { index: i, kind: 'slow', detail: `${r.ms.toFixed(0)} ms (> ${SLOW_MS})`, target: r.target, mutation: r.mutation, hex: Buffer.from(r.bytes).toString('hex') } });
        }
      } else {
        const r = await S.soundnessCase(harness, cs);
        bump(r.verdict);
        const ms = performance.now() - t;
        if (r.problems.length) {
          bump('unsound');
          const classes = new Set(r.problems.map((p) => p.kind));
          const cap = S.heapCapFor(cs);
          let min = r.insns;
          try {
            const still = async (cand) => {
              publish(i); // minimizing is progress, not a hang
              return (await harness.checkFresh(cand, cap)).problems.some((p) => classes.has(p.kind));
            };
            if (r.verdict === 'accepted' && (await still(r.insns))) min = await S.minimize(r.insns, still, 600);
          } catch {
            /* keep the full program */
          }
          parentPort.postMessage({ finding: { index: i, kind: [...classes].join('+'), detail: r.problems.map((p) => `${p.kind}${p.engine ? `(${p.engine})` : ''}: ${p.detail}`).join('; '), bad: r.bad, heapCap: cap, fixture: S.fixtureRecord(`seed${seed}-case${i}`, min, r.problems, { heapCap: cap, caseSeed: cs }), original: S.fixtureRecord(`seed${seed}-case${i}-full`, r.insns, r.problems) } });
        } else if (r.bad.length && r.verdict === 'accepted') bump('accepted-wrong-knob');
        if (ms > SLOW_MS && r.verdict === 'rejected' && /too large|too complex/.test(r.message ?? '')) {
          // the verifier's complexity limits (1M processed insns, 8192 pending jumps) are meant to take time
          bump('slow-at-complexity-limit');
        } else if (ms > SLOW_MS) {
          // informational for programs (verification time grows with the program; load on a shared
          // machine adds to it): written out, not counted as a finding. The watchdog catches hangs.
          bump('slow');
          parentPort.postMessage({ note: { index: i, kind: 'slow', detail: `${ms.toFixed(0)} ms (> ${SLOW_MS}) ${r.verdict}`, fixture: S.fixtureRecord(`seed${seed}-case${i}-slow`, r.insns, []) } });
        }
      }
    }
    Atomics.store(at, 0, -1);
    parentPort.postMessage({ done: true, tally });
  });
  parentPort.postMessage({ ready: true });
}
