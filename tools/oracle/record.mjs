#!/usr/bin/env node
// Records the running kernel's verdicts for the verifier corpus.
//
//   cd /work/main && node tools/oracle/record.mjs [--conformance] [--check] [--only SUBSTR]
//   cd /work/main && node tools/oracle/record.mjs --graph [--check] [--only SUBSTR]
//
// --graph records packages/verifier/cases/graph/*.txt instead (cases that borrow
// BTF and maps from a fixture object, `object: NAME`): the object's BTF (after
// libbpf's fixups) is loaded with BPF_BTF_LOAD, its maps are created with their
// BTF key/value type ids, kfunc calls carry the vmlinux BTF ids of
// @bpfkit/platform; output: cases/graph/kernel.json.
//
// Builds @bpfkit/isa (tsc -b), transpiles src/testing/cases.ts, and tools/oracle/bpf-oracle (make), loads every
// case of packages/verifier/cases/*.txt through the oracle (root, log_level 1|4) and
// writes packages/verifier/cases/kernel.json. --conformance also records the
// programs of ../shared/conformance/assembled.jsonl as XDP programs into
// conformance-kernel.json. --check only prints expectation mismatches (writes
// nothing). Never attaches or pins anything.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const check = args.includes('--check');
const graph = args.includes('--graph');
const LOG_LEVEL = 5;
const LOG_CAP = 8192;

// Only @bpfkit/isa is built; the case module is transpiled on its own so that
// recording does not depend on the rest of the verifier package compiling.
execFileSync('npx', ['tsc', '-b', 'packages/isa', ...(graph ? ['packages/btf', 'packages/object', 'packages/platform'] : [])], { cwd: root, stdio: 'inherit' });
execFileSync('make', ['-s', '-C', here], { stdio: 'inherit' });
const ts = (await import('typescript')).default;
const casesTs = join(root, 'packages/verifier/src/testing/cases.ts');
const js = ts.transpileModule(readFileSync(casesTs, 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
}).outputText;
mkdirSync(join(here, '.build'), { recursive: true });
writeFileSync(join(here, '.build', 'cases.mjs'), js);
const { loadAllCases, caseHash, extractError, conformanceHash } = await import(join(here, '.build', 'cases.mjs'));
let graphObject;
if (graph) {
  const src = readFileSync(join(root, 'packages/verifier/src/testing/graph-object.ts'), 'utf8');
  const out = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  // FIXTURE_OBJ_DIR is computed relative to the module: point it at the repo's fixtures/obj
  writeFileSync(join(here, '.build', 'graph-object.mjs'), out.replace(/from '\.\/cases\.js'/g, "from './cases.mjs'"));
  graphObject = await import(join(here, '.build', 'graph-object.mjs'));
}
const CASES_DIR = join(root, 'packages/verifier/cases', ...(graph ? ['graph'] : []));
const OBJ_DIR = join(root, 'fixtures/obj');
const { bytesToHex } = await import('@bpfkit/isa');

/** Runs the oracle over request lines; resolves to the parsed responses in order. */
async function runOracle(requests) {
  const child = spawn(join(here, 'bpf-oracle'), [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
  const out = [];
  const done = new Promise((res, rej) => {
    rl.on('line', (l) => out.push(JSON.parse(l)));
    child.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`bpf-oracle exited ${code}`))));
  });
  for (const r of requests) {
    if (!child.stdin.write(r + '\n')) await new Promise((res) => child.stdin.once('drain', res));
  }
  child.stdin.end();
  return done;
}

function request(c) {
  const parts = [`type=${c.progType}`, `attach=${c.attachType ?? 0}`, `flags=${c.progFlags}`, `license=${c.license}`, `log_level=${LOG_LEVEL}`];
  if (c.object) {
    const o = graphObject.loadCaseObject(c.object, OBJ_DIR);
    parts.push(`btf=${Buffer.from(o.kernelBtfBytes).toString('hex')}`);
    parts.push(`func_info=${graphObject.caseFuncInfo(o, c.insns, c.funcs).map((f) => `${f.insn}:${f.typeId}`).join(',')}`);
    for (const m of o.mapSpecs) {
      const init = m.initialData && m.initialData.some((b) => b !== 0) ? Buffer.from(m.initialData).toString('hex') : '-';
      parts.push(`map=${m.type},${m.keySize},${m.valueSize},${m.maxEntries},${m.flags},${graphObject.kernelMapName(m.name) || '-'},${init},${m.frozen ? 1 : 0},${m.btfKeyTypeId},${m.btfValueTypeId}`);
    }
  }
  for (const m of c.maps) {
    parts.push(`map=${m.type},${m.keySize},${m.valueSize},${m.maxEntries},${m.flags},${m.name},${m.init ?? '-'},${m.frozen ? 1 : 0}`);
  }
  parts.push(`insns=${bytesToHex(c.bytes)}`);
  return parts.join(' ');
}

const cap = (log) => (log.length > LOG_CAP ? log.slice(log.length - LOG_CAP) : log);

function summarize(res) {
  if (res.error) throw new Error(`oracle: ${res.error}`);
  const { errorLines, insn } = res.accepted ? { errorLines: [], insn: null } : extractError(res.log);
  return {
    accepted: res.accepted,
    errno: res.errnoName,
    errorLines,
    firstLine: errorLines[0] ?? null,
    insn,
    processed: res.processed,
    totalStates: res.totalStates,
    peakStates: res.peakStates,
    verificationUs: res.verificationUs,
    logTruncated: res.logTruncated,
    log: cap(res.log),
  };
}

const kernel = execFileSync('uname', ['-r']).toString().trim();
let cases = loadAllCases(CASES_DIR, graph ? graphObject.caseResolver(OBJ_DIR) : undefined);
if (only) cases = cases.filter((c) => c.name.includes(only));
const results = await runOracle(cases.map(request));
const recorded = {};
let mismatches = 0;
let accepted = 0;
cases.forEach((c, k) => {
  const r = { hash: caseHash(c), ...summarize(results[k]) };
  recorded[c.name] = r;
  if (r.accepted) accepted++;
  const e = c.expect;
  if (e && (e.accepted !== r.accepted || (e.error && !(r.firstLine ?? '').includes(e.error)))) {
    mismatches++;
    console.log(`MISMATCH ${c.file}:${c.line} ${c.name}\n  expected ${e.accepted ? 'accept' : `reject ${e.error ?? ''}`}\n  kernel   ${r.accepted ? 'accept' : `reject ${r.errno} ${r.firstLine}`}`);
    if (!r.accepted && only) console.log(r.log);
  }
  if (!e) console.log(`NOEXPECT ${c.name}: ${r.accepted ? 'accept' : `reject ${r.firstLine}`}`);
});
console.log(`${cases.length} cases: ${accepted} accepted, ${cases.length - accepted} rejected, ${mismatches} expectation mismatches`);

if (!check && !only) {
  const file = join(CASES_DIR, 'kernel.json');
  writeFileSync(file, JSON.stringify({ kernel, logLevel: LOG_LEVEL, cases: recorded }, null, 1) + '\n');
  console.log(`wrote ${file}`);
}

if (args.includes('--conformance')) {
  const src = [join(root, '..', 'shared', 'conformance', 'assembled.jsonl'), '/work/shared/conformance/assembled.jsonl'].find(existsSync);
  const tests = readFileSync(src, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const res = await runOracle(tests.map((t) => `type=6 license=GPL log_level=${LOG_LEVEL} insns=${t.bytecode.toLowerCase()}`));
  const out = {};
  tests.forEach((t, k) => {
    const s = summarize(res[k]);
    out[t.test] = { hash: conformanceHash(t.bytecode), accepted: s.accepted, errno: s.errno, firstLine: s.firstLine, processed: s.processed };
  });
  const rejected = Object.entries(out).filter(([, v]) => !v.accepted);
  console.log(`conformance: ${tests.length} programs, ${rejected.length} rejected`);
  for (const [n, v] of rejected) console.log(`  ${n}: ${v.errno} ${v.firstLine}`);
  const file = join(CASES_DIR, 'conformance-kernel.json');
  writeFileSync(file, JSON.stringify({ kernel, progType: 'xdp', tests: out }, null, 1) + '\n');
  console.log(`wrote ${file}`);
}
