/**
 * Verifier test cases: hand-written programs in `packages/verifier/cases/*.txt`
 * (format: cases/README.md) and the kernel's recorded verdicts for them
 * (`cases/kernel.json`, written by `tools/oracle/record.mjs`).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AsmError, assemble, bytesToHex, decode, encode, hexToBytes, type Insn, IsaError, width } from '@bpfkit/isa';

/** `BPF_PROG_TYPE_*` numbers by the names a case file may use. */
export const PROG_TYPES: Readonly<Record<string, number>> = {
  socket: 1, socket_filter: 1, kprobe: 2, tc: 3, sched_cls: 3, sched_act: 4, tracepoint: 5, xdp: 6, perf_event: 7,
  cgroup_skb: 8, cgroup_sock: 9, lwt_in: 10, lwt_out: 11, lwt_xmit: 12, sock_ops: 13, sk_skb: 14, cgroup_device: 15,
  sk_msg: 16, raw_tracepoint: 17, cgroup_sock_addr: 18, lwt_seg6local: 19, sk_reuseport: 21, flow_dissector: 22,
  cgroup_sysctl: 23, cgroup_sockopt: 25, sk_lookup: 30, syscall: 31, netfilter: 32,
};

/** `enum bpf_attach_type` numbers by name. */
export const ATTACH_TYPES: Readonly<Record<string, number>> = {
  cgroup_inet_ingress: 0, cgroup_inet_egress: 1, cgroup_inet_sock_create: 2, cgroup_sock_ops: 3, sk_skb_stream_parser: 4,
  sk_skb_stream_verdict: 5, cgroup_device: 6, sk_msg_verdict: 7, cgroup_inet4_bind: 8, cgroup_inet6_bind: 9,
  cgroup_inet4_connect: 10, cgroup_inet6_connect: 11, cgroup_inet4_post_bind: 12, cgroup_inet6_post_bind: 13,
  cgroup_udp4_sendmsg: 14, cgroup_udp6_sendmsg: 15, lirc_mode2: 16, flow_dissector: 17, cgroup_sysctl: 18,
  cgroup_udp4_recvmsg: 19, cgroup_udp6_recvmsg: 20, cgroup_getsockopt: 21, cgroup_setsockopt: 22, xdp_devmap: 33,
  xdp_cpumap: 35, xdp: 37, trace_kprobe_session: 56,
};

/** `prog_flags` bits by name. */
export const PROG_FLAGS: Readonly<Record<string, number>> = {
  strict_alignment: 1, any_alignment: 2, test_rnd_hi32: 4, sleepable: 16, xdp_has_frags: 32,
};

/** `BPF_MAP_TYPE_*` numbers by name. */
export const MAP_TYPES: Readonly<Record<string, number>> = {
  hash: 1, array: 2, prog_array: 3, perf_event_array: 4, percpu_hash: 5, percpu_array: 6, stack_trace: 7,
  lru_hash: 9, lru_percpu_hash: 10, devmap: 14, cpumap: 16, xskmap: 17, queue: 22, stack: 23, ringbuf: 27,
  bloom_filter: 30,
};

/** Map creation flags by name. */
export const MAP_FLAGS: Readonly<Record<string, number>> = {
  no_prealloc: 1, rdonly: 8, wronly: 16, rdonly_prog: 128, wronly_prog: 256,
};

/** A map created before the load; its fd is `fd_array[index]` (`map[idx:N]`). */
export interface MapDef {
  name: string;
  type: number;
  typeName: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  /** Value bytes written at key 0 (all-zero key) before loading, as hex. */
  init?: string;
  /** Frozen (`BPF_MAP_FREEZE`) after the initial write. */
  frozen: boolean;
}

/** What the case author expects; the recording must agree (checked by the tests). */
export interface CaseExpectation {
  accepted: boolean;
  /** For rejections: a substring of the kernel's first error line. */
  error?: string;
}

/**
 * Names a case may use when it borrows BTF and maps from a fixture object
 * (`object: NAME`); supplied by the caller of {@link parseCases} (see
 * `graph-object.ts`), so this module stays free of object parsing.
 */
export interface CaseObjectSymbols {
  /** sha256 (hex) of the object file: part of the case hash. */
  readonly fingerprint: string;
  /** Map name -> fd_array index (`map[NAME]`). */
  readonly maps: ReadonlyMap<string, number>;
  /** Global variable -> its data-section map index and offset (`var[NAME]`). */
  readonly vars: ReadonlyMap<string, { readonly map: number; readonly off: number }>;
  /** Type name -> BTF id in the object's BTF (`type[NAME]`). */
  readonly types: ReadonlyMap<string, number>;
  /** FUNC name -> BTF id (for the func_info of `funcs:`). */
  readonly funcs: ReadonlyMap<string, number>;
}

export interface CaseResolver {
  /** The symbols of fixture object NAME; throws (any Error) when it cannot be loaded. */
  object(name: string): CaseObjectSymbols;
  /** vmlinux BTF id of a kfunc, for `call NAME` (src 2). */
  kfuncBtfId(name: string): number | undefined;
}

export interface VerifierCase {
  name: string;
  file: string;
  /** Fixture object whose BTF and maps the case uses (`object:`). */
  object?: string;
  /** Its fingerprint ({@link CaseObjectSymbols.fingerprint}). */
  objectFingerprint?: string;
  /** `funcs: MAIN SUB...`: FUNC names of the object for func_info (main program first, then subprograms in order). */
  funcs?: string[];
  /** 1-based line of the `case:` line. */
  line: number;
  progType: number;
  progTypeName: string;
  attachType?: number;
  progFlags: number;
  license: string;
  maps: MapDef[];
  expect?: CaseExpectation;
  /** The code block as written (indentation removed). */
  code: string;
  insns: Insn[];
  /** Little-endian instruction bytes. */
  bytes: Uint8Array;
}

export type CaseErrorCode = 'SYNTAX' | 'UNKNOWN_FIELD' | 'DUPLICATE' | 'BAD_VALUE' | 'MISSING' | 'ASSEMBLY';

/** A malformed case file; `file` and 1-based `line` locate the problem. */
export class CaseFileError extends Error {
  override readonly name = 'CaseFileError';
  constructor(
    readonly code: CaseErrorCode,
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** Directory holding the case files and recordings. */
export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cases');

const NAME_RE = /^[A-Za-z0-9_]{1,15}$/;
const PLACEHOLDER = 0x5eed0000;

function lookup(table: Readonly<Record<string, number>>, text: string, what: string, file: string, line: number): number {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(text)) return Number(text);
  const v = table[text];
  if (v === undefined) {
    throw new CaseFileError('BAD_VALUE', file, line, `unknown ${what} '${text}' (known: ${Object.keys(table).join(', ')})`);
  }
  return v;
}

function flagSet(table: Readonly<Record<string, number>>, text: string, what: string, file: string, line: number): number {
  let v = 0;
  for (const part of text.split(/[,|]/)) if (part.trim() !== '') v |= lookup(table, part.trim(), what, file, line);
  return v;
}

function intField(text: string | undefined, what: string, file: string, line: number): number {
  if (text === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(text)) {
    throw new CaseFileError('BAD_VALUE', file, line, `${what} needs a non-negative integer, got '${text ?? ''}'`);
  }
  return Number(text);
}

/** `map: NAME TYPE key=K value=V max=M [flags=a,b] [init=HEX] [frozen]` */
function parseMap(text: string, file: string, line: number): MapDef {
  const [name, typeName, ...rest] = text.split(/\s+/);
  if (name === undefined || typeName === undefined || !NAME_RE.test(name)) {
    throw new CaseFileError('SYNTAX', file, line, `map: expected 'NAME TYPE key=K value=V max=M ...' (NAME: 1-15 of [A-Za-z0-9_])`);
  }
  const kv = new Map<string, string>();
  let frozen = false;
  for (const tok of rest) {
    if (tok === 'frozen') { frozen = true; continue; }
    const eq = tok.indexOf('=');
    if (eq <= 0) throw new CaseFileError('SYNTAX', file, line, `map: unexpected '${tok}'`);
    const k = tok.slice(0, eq);
    if (!['key', 'value', 'max', 'flags', 'init'].includes(k)) throw new CaseFileError('UNKNOWN_FIELD', file, line, `map: unknown attribute '${k}'`);
    kv.set(k, tok.slice(eq + 1));
  }
  const init = kv.get('init');
  const valueSize = intField(kv.get('value'), 'map value=', file, line);
  if (init !== undefined && (!/^([0-9a-f]{2})*$/i.test(init) || init.length !== 2 * valueSize)) {
    throw new CaseFileError('BAD_VALUE', file, line, `map: init= must be ${valueSize} bytes of hex`);
  }
  if (frozen && init === undefined) throw new CaseFileError('BAD_VALUE', file, line, 'map: frozen needs init=');
  const def: MapDef = {
    name,
    type: lookup(MAP_TYPES, typeName, 'map type', file, line),
    typeName,
    keySize: intField(kv.get('key'), 'map key=', file, line),
    valueSize,
    maxEntries: intField(kv.get('max'), 'map max=', file, line),
    flags: flagSet(MAP_FLAGS, kv.get('flags') ?? '', 'map flag', file, line),
    frozen,
  };
  if (init !== undefined) def.init = init.toLowerCase();
  return def;
}

function parseExpect(text: string, file: string, line: number): CaseExpectation {
  const m = /^(accept|reject)\b\s*(.*)$/.exec(text);
  if (!m) throw new CaseFileError('BAD_VALUE', file, line, `expect: must be 'accept' or 'reject [first-line substring]'`);
  if (m[1] === 'accept') {
    if (m[2] !== '') throw new CaseFileError('BAD_VALUE', file, line, `expect: 'accept' takes no text`);
    return { accepted: true };
  }
  return m[2] === '' ? { accepted: false } : { accepted: false, error: m[2] };
}

/**
 * Assembles a code block. `.raw HEX` lines insert exact instruction bytes
 * (for encodings the assembler refuses, e.g. reserved fields); they are
 * assembled as unique placeholders and replaced afterwards, so labels and
 * jumps around them keep working.
 */
function assembleBlock(lines: string[], file: string, firstLine: number): Insn[] {
  const raws: Insn[] = [];
  const text: string[] = [];
  const lineOf: number[] = [];
  lines.forEach((l, k) => {
    const m = /^(\s*(?:[A-Za-z_.][\w.]*:\s*)?)\.raw\s+([0-9a-fA-F\s]+?)\s*(?:(?:;|\/\/).*)?$/.exec(l);
    if (!m) { text.push(l); lineOf.push(firstLine + k); return; }
    const hex = m[2].replace(/\s+/g, '');
    let got: Insn[];
    try {
      if (hex.length === 0 || hex.length % 16 !== 0) throw new Error('length');
      got = decode(hexToBytes(hex));
    } catch (e) {
      const why = e instanceof IsaError ? e.message : 'needs whole 8-byte slots of hex';
      throw new CaseFileError('ASSEMBLY', file, firstLine + k, `.raw: ${why}`);
    }
    got.forEach((insn, j) => {
      const tag = PLACEHOLDER + raws.length;
      raws.push(insn);
      const prefix = j === 0 ? m[1] : '';
      text.push(width(insn) === 2 ? `${prefix}r0 = 0x${tag.toString(16)}${tag.toString(16)}` : `${prefix}w0 = ${tag}`);
      lineOf.push(firstLine + k);
    });
  });
  let insns: Insn[];
  try {
    insns = assemble(text.join('\n'));
  } catch (e) {
    if (e instanceof AsmError) throw new CaseFileError('ASSEMBLY', file, lineOf[e.line - 1] ?? firstLine, e.reason);
    throw e;
  }
  if (raws.length === 0) return insns;
  return insns.map((i) => {
    const k = (i.imm >>> 0) - PLACEHOLDER;
    const isMov = i.code === 0xb4 && i.dst === 0;
    const isLd = i.code === 0x18 && i.dst === 0 && (i.imm2 >>> 0) === (i.imm >>> 0);
    return (isMov || isLd) && k >= 0 && k < raws.length && width(raws[k]) === width(i) ? raws[k] : i;
  });
}

const FIELDS = new Set(['case', 'type', 'attach', 'flags', 'license', 'map', 'expect', 'code', 'object', 'funcs']);

/**
 * Rewrites the object-relative names of a code line: `map[NAME]` ->
 * `map[idx:N]`, `var[NAME]` / `var[NAME]+K` -> `map[idx:N]+OFF`, `type[NAME]`
 * -> the BTF id, `call KFUNC` -> `call KFUNC#ID`. Only for `object:` cases.
 */
function resolveLine(l: string, sym: CaseObjectSymbols | undefined, r: CaseResolver | undefined, file: string, line: number): string {
  const bad = (what: string): never => { throw new CaseFileError('BAD_VALUE', file, line, what); };
  let out = l.replace(/\bmap\[([A-Za-z_.][\w.]*)\]/g, (m, name: string) => {
    if (name.startsWith('idx:') || name.startsWith('fd:')) return m;
    if (!sym) return bad(`map[${name}] needs an 'object:' line`);
    const idx = sym.maps.get(name);
    return idx === undefined ? bad(`object has no map '${name}' (maps: ${[...sym.maps.keys()].join(', ')})`) : `map[idx:${idx}]`;
  });
  out = out.replace(/\bvar\[(\w+)\](?:\s*\+\s*(\d+))?/g, (_m, name: string, k?: string) => {
    if (!sym) return bad(`var[${name}] needs an 'object:' line`);
    const v = sym.vars.get(name);
    return v === undefined ? bad(`object has no global '${name}'`) : `map[idx:${v.map}]+${v.off + Number(k ?? 0)}`;
  });
  out = out.replace(/\btype\[([\w ]+)\]/g, (_m, name: string) => {
    if (!sym) return bad(`type[${name}] needs an 'object:' line`);
    const id = sym.types.get(name.trim());
    return id === undefined ? bad(`object BTF has no type '${name}'`) : String(id);
  });
  out = out.replace(/^(\s*(?:[A-Za-z_.][\w.]*:\s*)?call\s+)([A-Za-z_]\w*)(\s*(?:(?:;|\/\/).*)?)$/, (m, pre: string, name: string, post: string) => {
    const id = r?.kfuncBtfId(name);
    return id === undefined ? m : `${pre}${name}#${id}${post}`;
  });
  return out;
}

interface Draft {
  name: string;
  line: number;
  fields: Map<string, { value: string; line: number }>;
  maps: MapDef[];
  code?: { lines: string[]; line: number };
}

function finish(d: Draft, file: string, resolver?: CaseResolver): VerifierCase {
  const get = (k: string) => d.fields.get(k);
  const object = get('object');
  let sym: CaseObjectSymbols | undefined;
  if (object) {
    if (!resolver) throw new CaseFileError('BAD_VALUE', file, object.line, `object: needs a resolver (load with a CaseResolver)`);
    if (d.maps.length > 0) throw new CaseFileError('BAD_VALUE', file, object.line, `object: and map: cannot be mixed (the maps come from the object)`);
    try {
      sym = resolver.object(object.value);
    } catch (e) {
      throw new CaseFileError('BAD_VALUE', file, object.line, `object '${object.value}': ${(e as Error).message}`);
    }
  }
  const type = get('type');
  if (!type) throw new CaseFileError('MISSING', file, d.line, `case '${d.name}' has no type:`);
  if (!d.code || d.code.lines.every((l) => l.trim() === '')) {
    throw new CaseFileError('MISSING', file, d.line, `case '${d.name}' has no code:`);
  }
  const indent = Math.min(...d.code.lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length));
  const codeLines = d.code.lines.map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)![0].length)));
  while (codeLines.length > 0 && codeLines[codeLines.length - 1].trim() === '') codeLines.pop();
  const resolved = codeLines.map((l, k) => resolveLine(l, sym, resolver, file, d.code!.line + 1 + k));
  const insns = assembleBlock(resolved, file, d.code.line + 1);
  const attach = get('attach');
  const flags = get('flags');
  const expect = get('expect');
  const c: VerifierCase = {
    name: d.name,
    file,
    line: d.line,
    progType: lookup(PROG_TYPES, type.value, 'program type', file, type.line),
    progTypeName: type.value,
    progFlags: flags ? flagSet(PROG_FLAGS, flags.value, 'prog flag', file, flags.line) : 0,
    license: get('license')?.value ?? 'GPL',
    maps: d.maps,
    code: codeLines.join('\n'),
    insns,
    bytes: encode(insns),
  };
  if (attach) c.attachType = lookup(ATTACH_TYPES, attach.value, 'attach type', file, attach.line);
  if (object && sym) {
    c.object = object.value;
    c.objectFingerprint = sym.fingerprint;
  }
  const funcs = get('funcs');
  if (funcs) {
    if (!sym) throw new CaseFileError('BAD_VALUE', file, funcs.line, `funcs: needs an 'object:' line`);
    c.funcs = funcs.value.split(/\s+/).filter(Boolean);
    const unknown = c.funcs.filter((f) => !sym!.funcs.has(f));
    if (unknown.length) throw new CaseFileError('BAD_VALUE', file, funcs.line, `object has no FUNC ${unknown.join(', ')}`);
  }
  if (expect) c.expect = parseExpect(expect.value, file, expect.line);
  return c;
}

/**
 * Parses one case file's text. `file` is used in errors and stored in each case.
 * `resolver` is needed by cases with an `object:` line (and resolves `call KFUNC` in any case).
 */
export function parseCases(text: string, file: string, resolver?: CaseResolver): VerifierCase[] {
  const out: VerifierCase[] = [];
  const lines = text.split(/\r?\n/);
  let d: Draft | undefined;
  let inCode = false;
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k];
    const ln = k + 1;
    if (inCode && d?.code && (raw.trim() === '' || /^\s/.test(raw))) {
      d.code.lines.push(raw);
      continue;
    }
    inCode = false;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const m = /^([a-z]+):\s*(.*?)\s*$/.exec(raw);
    if (!m) throw new CaseFileError('SYNTAX', file, ln, `expected 'field: value', got '${raw.slice(0, 40)}'`);
    const [, key, value] = m;
    if (!FIELDS.has(key)) throw new CaseFileError('UNKNOWN_FIELD', file, ln, `unknown field '${key}:'`);
    if (key === 'case') {
      if (d) out.push(finish(d, file, resolver));
      if (value === '') throw new CaseFileError('BAD_VALUE', file, ln, 'case: needs a name');
      d = { name: value, line: ln, fields: new Map(), maps: [] };
      continue;
    }
    if (!d) throw new CaseFileError('SYNTAX', file, ln, `'${key}:' before the first 'case:'`);
    if (key === 'map') { d.maps.push(parseMap(value, file, ln)); continue; }
    if (key === 'code') {
      if (d.code) throw new CaseFileError('DUPLICATE', file, ln, `case '${d.name}' has two code: blocks`);
      d.code = { lines: value === '' ? [] : [` ${value}`], line: value === '' ? ln : ln - 1 };
      inCode = true;
      continue;
    }
    if (d.fields.has(key)) throw new CaseFileError('DUPLICATE', file, ln, `case '${d.name}' repeats '${key}:'`);
    d.fields.set(key, { value, line: ln });
  }
  if (d) out.push(finish(d, file, resolver));
  return out;
}

/** Every case of every `cases/*.txt` file (files in name order); names must be unique. */
export function loadAllCases(dir: string = CASES_DIR, resolver?: CaseResolver): VerifierCase[] {
  const all: VerifierCase[] = [];
  const seen = new Map<string, VerifierCase>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    for (const c of parseCases(readFileSync(join(dir, f), 'utf8'), f, resolver)) {
      const prev = seen.get(c.name);
      if (prev) throw new CaseFileError('DUPLICATE', f, c.line, `case name '${c.name}' already used at ${prev.file}:${prev.line}`);
      seen.set(c.name, c);
      all.push(c);
    }
  }
  return all;
}

/** The canonical description of what is loaded; {@link caseHash} hashes it. */
export function caseInputs(c: VerifierCase): string {
  return JSON.stringify({
    type: c.progType,
    attach: c.attachType ?? null,
    flags: c.progFlags,
    license: c.license,
    maps: c.maps.map((m) => [m.type, m.keySize, m.valueSize, m.maxEntries, m.flags, m.name, m.init ?? null, m.frozen]),
    insns: bytesToHex(c.bytes),
    // only present for object cases, so the hashes of the other cases do not change
    ...(c.object ? { object: c.object, objectFingerprint: c.objectFingerprint, funcs: c.funcs ?? null } : {}),
  });
}

/** sha256 (hex) of {@link caseInputs}: a recording is valid only for the same hash. */
export function caseHash(c: VerifierCase): string {
  return createHash('sha256').update(caseInputs(c)).digest('hex');
}

/** sha256 of raw instruction hex as loaded for the conformance recording (XDP, GPL, no maps). */
export function conformanceHash(bytecodeHex: string): string {
  return createHash('sha256').update(`xdp:${bytecodeHex.toLowerCase()}`).digest('hex');
}

/** One kernel verdict (kernel.json `cases[name]`). */
export interface CaseRecording {
  hash: string;
  accepted: boolean;
  /** errno name (`EACCES`, ...), `''` when accepted. */
  errno: string;
  errorLines: string[];
  /** The first error line (the one a port must print), `null` when accepted. */
  firstLine: string | null;
  /** Index of the failing instruction (last `N: (xx)` line before the error), or null. */
  insn: number | null;
  processed: number;
  totalStates: number;
  peakStates: number;
  verificationUs: number;
  /** Level-1 log (tail kept when longer than the cap). */
  log: string;
}

export interface KernelRecording {
  kernel: string;
  logLevel: number;
  cases: Record<string, CaseRecording>;
}

export interface ConformanceRecording {
  kernel: string;
  progType: string;
  tests: Record<string, { hash: string; accepted: boolean; errno: string; firstLine: string | null; processed: number }>;
}

/** Reads `cases/kernel.json`. */
export function loadRecording(dir: string = CASES_DIR): KernelRecording {
  return JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')) as KernelRecording;
}

/** Reads `cases/conformance-kernel.json`. */
export function loadConformanceRecording(dir: string = CASES_DIR): ConformanceRecording {
  return JSON.parse(readFileSync(join(dir, 'conformance-kernel.json'), 'utf8')) as ConformanceRecording;
}

const INSN_LINE = /^(\d+): (\([0-9a-f]{2}\) |BUG_)/;
const STATS = /^(verification time \d+ usec|stack depth [\d+]+|processed \d+ insns .*)$/;
const TRACE = [
  /^\d+: (frame\d+: )?(R\d+|fp|refs)/, // state line "N: R1=..."
  /^(caller|callee|returning from callee):$/,
  /^to caller at \d+:$/,
  /^ (frame\d+: )?(R\d+|fp|refs)/, // dump lines under caller:/callee:
  /^; /, // BTF line info
];

/**
 * The verifier's error lines of a level-1 log: split stats lines glued to a
 * message without newline, drop the trailing stats lines
 * (`verification time`, `stack depth`, `processed ...`), then take the lines
 * after the last instruction line `N: (xx) ...` or `N: BUG_xx` (all lines when there is none,
 * e.g. for the program-level passes), skipping leading trace lines
 * (`N: R...` states, `caller:`/`callee:` dumps, `; source` lines).
 */
export function extractError(log: string): { errorLines: string[]; insn: number | null } {
  // Some kernel messages lack their newline (`expected prog array map for tail call`),
  // so the stats line is glued to them: split it off again.
  const lines = log.replace(/([^\n])(verification time \d+ usec\n|processed \d+ insns \(limit)/g, '$1\n$2').split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 0 && STATS.test(lines[lines.length - 1])) lines.pop();
  let last = -1;
  for (let k = lines.length - 1; k >= 0; k--) if (INSN_LINE.test(lines[k])) { last = k; break; }
  let k = last + 1;
  while (k < lines.length && TRACE.some((re) => re.test(lines[k]))) k++;
  return {
    errorLines: lines.slice(k).filter((l) => l !== ''),
    insn: last >= 0 ? Number(INSN_LINE.exec(lines[last])![1]) : null,
  };
}
