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
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importTesting, objectParts, OBJ_DIR, ORACLE_DIR as here, ROOT as root, runOracle } from './oracle-client.mjs';

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
const testing = await importTesting(graph ? ['cases', 'graph-object'] : ['cases']);
const { loadAllCases, caseHash, extractError, conformanceHash } = testing.cases;
// FIXTURE_OBJ_DIR of graph-object is computed relative to the module: OBJ_DIR is the repo's fixtures/obj
const graphObject = testing['graph-object'];
const CASES_DIR = join(root, 'packages/verifier/cases', ...(graph ? ['graph'] : []));
const { bytesToHex } = await import('@bpfkit/isa');

function request(c) {
  const parts = [`type=${c.progType}`, `attach=${c.attachType ?? 0}`, `flags=${c.progFlags}`, `license=${c.license}`, `log_level=${LOG_LEVEL}`];
  if (c.object) {
    const o = graphObject.loadCaseObject(c.object, OBJ_DIR);
    parts.push(...objectParts(o, graphObject.caseFuncInfo(o, c.insns, c.funcs), graphObject.kernelMapName));
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
