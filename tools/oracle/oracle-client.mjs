/**
 * What the kernel-oracle scripts share (record time only; tests never run this):
 *
 * - `importTesting(names)`: transpiles modules of packages/verifier/src/testing/ (`cases`,
 *   `graph-object`) into tools/oracle/.build/ and imports them, so that recording does not
 *   depend on the rest of the verifier package compiling;
 * - `runOracle(requests)`: one bpf-oracle run over a batch of request lines;
 * - `Oracle`: one long-lived bpf-oracle answering request lines as they come (pipelined);
 * - `objectParts(obj, funcInfo, mapName)`: the request tokens that lend a program a fixture
 *   object's BTF (after libbpf's fixups, BPF_BTF_LOAD), func_info and maps (created with their
 *   BTF key/value type ids, initial data, frozen), in fd_array order.
 *
 * Used by tools/oracle/record.mjs (--graph) and scripts/fuzz-kernel.mjs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ORACLE_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(ORACLE_DIR, '..', '..');
export const ORACLE_BIN = join(ORACLE_DIR, 'bpf-oracle');
export const OBJ_DIR = join(ROOT, 'fixtures/obj');

/**
 * Transpiles packages/verifier/src/testing/NAME.ts to tools/oracle/.build/NAME.mjs for each name
 * (`cases` must come before modules importing it) and imports them; returns the modules by name.
 * The workspace packages they import resolve to their built `dist`.
 */
export async function importTesting(names) {
  const ts = (await import('typescript')).default;
  mkdirSync(join(ORACLE_DIR, '.build'), { recursive: true });
  const out = {};
  for (const name of names) {
    const src = readFileSync(join(ROOT, 'packages/verifier/src/testing', `${name}.ts`), 'utf8');
    let js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    // graph-object.ts: FIXTURE_OBJ_DIR is computed relative to the module, so callers pass OBJ_DIR
    if (name !== 'cases') js = js.replace(/from '\.\/cases\.js'/g, "from './cases.mjs'");
    const file = join(ORACLE_DIR, '.build', `${name}.mjs`);
    writeFileSync(file, js);
    out[name] = await import(file);
  }
  return out;
}

/** Runs the oracle over request lines; resolves to the parsed responses in order. */
export async function runOracle(requests) {
  const child = spawn(ORACLE_BIN, [], { stdio: ['pipe', 'pipe', 'inherit'] });
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

/** One bpf-oracle process; `ask(line)` resolves to the parsed response of that line (answers come in order). */
export class Oracle {
  constructor(bin = ORACLE_BIN) {
    this.child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.waiting = [];
    this.closed = new Promise((res) => {
      this.child.on('close', (code) => {
        for (const w of this.waiting.splice(0)) w.rej(new Error(`bpf-oracle exited ${code}`));
        res(code);
      });
    });
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (l) => {
      const w = this.waiting.shift();
      if (!w) return;
      try {
        w.res(JSON.parse(l));
      } catch (e) {
        w.rej(e);
      }
    });
  }
  /** Number of requests sent and not answered yet. */
  get pending() {
    return this.waiting.length;
  }
  async ask(line) {
    const p = new Promise((res, rej) => this.waiting.push({ res, rej }));
    if (!this.child.stdin.write(line + '\n')) await new Promise((res) => this.child.stdin.once('drain', res));
    return p;
  }
  async close() {
    this.child.stdin.end();
    return this.closed;
  }
}

/**
 * Request tokens lending a program the BTF, func_info and maps of a fixture object
 * (`loadCaseObject` of graph-object.ts): `btf=` (kernel BTF bytes), `func_info=INSN:TYPEID,…`,
 * then one `map=…,BTFKEY,BTFVALUE` per map in fd_array order. `mapName` is graph-object's
 * `kernelMapName`.
 */
export function objectParts(o, funcInfo, mapName) {
  const parts = [];
  parts.push(`btf=${Buffer.from(o.kernelBtfBytes).toString('hex')}`);
  parts.push(`func_info=${funcInfo.map((f) => `${f.insn}:${f.typeId}`).join(',')}`);
  for (const m of o.mapSpecs) {
    const init = m.initialData && m.initialData.some((b) => b !== 0) ? Buffer.from(m.initialData).toString('hex') : '-';
    parts.push(`map=${m.type},${m.keySize},${m.valueSize},${m.maxEntries},${m.flags},${mapName(m.name) || '-'},${init},${m.frozen ? 1 : 0},${m.btfKeyTypeId},${m.btfValueTypeId}`);
  }
  return parts;
}
