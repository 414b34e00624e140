/**
 * Fixture objects borrowed by verifier cases (`object: NAME` in a case file):
 * their BTF (after libbpf's fixups, as the kernel gets it), their maps (BTF
 * value types, global-data sections) and the names cases may use for them.
 * Used by the graph case test and by `tools/oracle/record.mjs` (which loads
 * the same BTF and creates the same maps in the kernel).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBtf, type Btf } from '@bpfkit/btf';
import type { Insn } from '@bpfkit/isa';
import { kernelBtfBytes, loadObject, type MapSpec, type ObjectSpec } from '@bpfkit/object';
import { linux618 } from '@bpfkit/platform';
import type { CaseObjectSymbols, CaseResolver } from './cases.js';

/** Repository directory holding the fixture objects (`fixtures/obj`). */
export const FIXTURE_OBJ_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'fixtures', 'obj');

export interface CaseObject extends CaseObjectSymbols {
  readonly name: string;
  readonly spec: ObjectSpec;
  /** The object's BTF after libbpf's fixups (what BPF_BTF_LOAD gets). */
  readonly kernelBtf: Btf;
  readonly kernelBtfBytes: Uint8Array;
  /** The maps in fd_array order (index = `map[idx:N]`). */
  readonly mapSpecs: readonly MapSpec[];
}

/** Map name as the kernel gets it: at most 15 of [A-Za-z0-9_.]. */
export function kernelMapName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, 15);
}

const cache = new Map<string, CaseObject>();

/** Loads `fixtures/obj/NAME.bpf.o` (cached). */
export function loadCaseObject(name: string, dir: string = FIXTURE_OBJ_DIR): CaseObject {
  const key = join(dir, name);
  const hit = cache.get(key);
  if (hit) return hit;
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`bad object name '${name}'`);
  const bytes = new Uint8Array(readFileSync(join(dir, `${name}.bpf.o`)));
  const { spec, btfFixups } = loadObject(bytes, { name });
  if (!spec.btf || !btfFixups) throw new Error(`${name}.bpf.o has no BTF`);
  const kbytes = kernelBtfBytes(spec.btf, btfFixups);
  const kernelBtf = parseBtf(kbytes);
  const maps = new Map<string, number>();
  const vars = new Map<string, { map: number; off: number }>();
  for (const m of spec.maps) {
    maps.set(m.name, m.index);
    for (const v of m.variables ?? []) vars.set(v.name, { map: m.index, off: v.offset });
  }
  const types = new Map<string, number>();
  kernelBtf.types.forEach((t, id) => {
    if (!t || id === 0) return;
    const named = t as { name?: string };
    if (!named.name) return;
    const prefix = t.kind === 'STRUCT' ? 'struct ' : t.kind === 'UNION' ? 'union ' : t.kind === 'INT' ? '' : undefined;
    if (prefix === undefined) return;
    if (!types.has(named.name)) types.set(named.name, id);
    if (prefix && !types.has(prefix + named.name)) types.set(prefix + named.name, id);
  });
  const funcs = new Map<string, number>();
  kernelBtf.types.forEach((t, id) => {
    const named = t as { kind?: string; name?: string } | undefined;
    if (named?.kind === 'FUNC' && named.name && !funcs.has(named.name)) funcs.set(named.name, id);
  });
  const obj: CaseObject = {
    name,
    spec,
    kernelBtf,
    kernelBtfBytes: kbytes,
    mapSpecs: [...spec.maps].sort((a, b) => a.index - b.index),
    fingerprint: createHash('sha256').update(bytes).digest('hex'),
    maps,
    vars,
    types,
    funcs,
  };
  cache.set(key, obj);
  return obj;
}

/** Default FUNC names: the main program, then every subprogram. */
export const DEFAULT_MAIN_FUNC = 'types_anchor';
export const DEFAULT_SUB_FUNC = 'graph_cb';

/** Slot indices where subprograms start (targets of `call pc+N` and `ld_imm64 src 4`), sorted. */
export function subprogStarts(insns: readonly Insn[]): number[] {
  const starts = new Set<number>();
  let slot = 0;
  for (const i of insns) {
    if (i.code === 0x85 && i.src === 1) starts.add(slot + 1 + i.imm);
    if (i.code === 0x18 && i.src === 4) starts.add(slot + 1 + i.imm);
    slot += i.code === 0x18 ? 2 : 1;
  }
  starts.delete(0);
  return [...starts].sort((a, b) => a - b);
}

/**
 * The func_info of an object case: the kernel attaches a program BTF only
 * when func_info (or line_info) is given, and bpf_obj_new needs it. Main
 * program = `funcs[0]` (default `types_anchor`), subprogram k = `funcs[k+1]`
 * (default `graph_cb`).
 */
export function caseFuncInfo(obj: CaseObjectSymbols, insns: readonly Insn[], names?: readonly string[]): { insn: number; typeId: number }[] {
  const starts = [0, ...subprogStarts(insns)];
  return starts.map((insn, k) => {
    const name = names?.[k] ?? (k === 0 ? DEFAULT_MAIN_FUNC : DEFAULT_SUB_FUNC);
    const typeId = obj.funcs.get(name);
    if (typeId === undefined) throw new Error(`object has no FUNC '${name}'`);
    return { insn, typeId };
  });
}

/** Resolver for object cases: fixture objects from `dir`, kfunc ids of Linux 6.18. */
export function caseResolver(dir: string = FIXTURE_OBJ_DIR): CaseResolver {
  return {
    object: (name) => loadCaseObject(name, dir),
    kfuncBtfId: (name) => linux618.kfuncBtfId(name),
  };
}
