/** `bpfkit object show FILE`: the object as libbpf reads it. */
import { basename } from 'node:path';
import type { ExternSpec, MapSpec, ObjectSpec, ProgramSpec, RelocationSpec } from '@bpfkit/object';
import { EXIT_OK } from '../errors.js';
import type { Out } from '../output.js';
import { hex, table } from '../table.js';
import { loadObject } from './load-object.js';

export interface ObjectShowJson {
  object: string;
  endianness: 'little' | 'big';
  license: string;
  btf: { types: number } | null;
  programs: { name: string; section: string; type: string; attachTo: string | null; insns: number; bytes: number; autoload: boolean }[];
  subprograms: { name: string; insns: number; bytes: number; linkage: 'static' | 'global' }[];
  maps: {
    index: number;
    name: string;
    kind: string;
    type: string;
    section: string;
    keySize: number;
    valueSize: number;
    maxEntries: number;
    flags: number;
    keyType: string | null;
    valueType: string | null;
    inner: string | null;
    variables?: { name: string; offset: number; size: number; linkage: string }[];
  }[];
  externs: { name: string; kind: string; func: boolean; weak: boolean }[];
  relocations: { function: string; insn: number; kind: string; symbol: string; target: string }[];
}

export function describeObject(file: string, spec: ObjectSpec): ObjectShowJson {
  const btf = spec.btf;
  const typeName = (id: number): string | null => {
    if (!btf || id === 0) return null;
    const t = btf.types[id];
    if (!t) return `#${id}`;
    const kind = t.kind === 'STRUCT' ? 'struct ' : t.kind === 'UNION' ? 'union ' : t.kind === 'ENUM' || t.kind === 'ENUM64' ? 'enum ' : '';
    return t.name ? `${kind}${t.name}` : `${t.kind.toLowerCase()} #${id}`;
  };
  const functions = [...spec.programs, ...spec.subprograms];
  return {
    object: basename(file),
    endianness: spec.littleEndian ? 'little' : 'big',
    license: spec.license,
    btf: btf ? { types: btf.types.length - 1 } : null,
    programs: spec.programs.map((p: ProgramSpec) => ({
      name: p.name,
      section: p.section,
      type: p.kind.progType,
      attachTo: p.kind.attachTo ?? null,
      insns: p.slotCount,
      bytes: p.size,
      autoload: p.autoload,
    })),
    subprograms: spec.subprograms.map((s) => ({ name: s.name, insns: s.slotCount, bytes: s.size, linkage: s.global ? 'global' : 'static' })),
    maps: spec.maps.map((m: MapSpec) => ({
      index: m.index,
      name: m.name,
      kind: m.libbpfType,
      type: m.typeName,
      section: m.section,
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
      flags: m.flags,
      keyType: typeName(m.btfKeyTypeId),
      valueType: typeName(m.btfValueTypeId),
      inner: m.inner ? m.inner.name : null,
      ...(m.variables ? { variables: m.variables.map((v) => ({ name: v.name, offset: v.offset, size: v.size, linkage: v.linkage })) } : {}),
    })),
    externs: spec.externs.map((e: ExternSpec) => ({ name: e.name, kind: e.kind, func: e.isFunc, weak: e.weak })),
    relocations: functions.flatMap((f) =>
      f.relocations.map((r: RelocationSpec) => ({ function: f.name, insn: r.insn, kind: r.kind, symbol: r.symbol, target: relocTarget(r) })),
    ),
  };
}

function relocTarget(r: RelocationSpec): string {
  switch (r.kind) {
    case 'map':
      return `map ${r.map}`;
    case 'data':
      return `${r.map} + ${r.symOff}`;
    case 'subprog_addr':
    case 'call':
      return `.text + ${r.symOff}`;
    case 'extern_call':
    case 'extern_var':
      return `extern #${r.externIndex}`;
  }
}

export async function objectShow(file: string, out: Out): Promise<number> {
  const spec = loadObject(file);
  const d = describeObject(file, spec);
  if (out.json) {
    out.writeJson(d);
    return EXIT_OK;
  }
  let s = `${out.bold(d.object)}: BPF object, ${d.endianness}-endian, license ${JSON.stringify(d.license)}, ${d.btf ? `BTF with ${d.btf.types} types` : 'no BTF'}\n`;
  s += `\n${out.bold(`programs (${d.programs.length})`)}\n`;
  s += d.programs.length
    ? table(['name', 'section', 'type', 'insns', 'autoload'], d.programs.map((p) => [p.name, p.section, p.type, p.insns, p.autoload ? 'yes' : 'no']))
    : '  none\n';
  if (d.subprograms.length) {
    s += `\n${out.bold(`subprograms (${d.subprograms.length})`)}\n`;
    s += table(['name', 'linkage', 'insns'], d.subprograms.map((p) => [p.name, p.linkage, p.insns]));
  }
  s += `\n${out.bold(`maps (${d.maps.length})`)}\n`;
  s += d.maps.length
    ? table(
        ['#', 'name', 'type', 'key', 'value', 'max', 'flags', 'value type'],
        d.maps.map((m) => [m.index, m.name, m.type, m.keySize, m.valueSize, m.maxEntries, hex(m.flags), m.valueType ?? (m.inner ? `inner ${m.inner}` : '-')]),
      )
    : '  none\n';
  const globals = d.maps.filter((m) => m.variables && m.variables.length);
  if (globals.length) {
    s += `\n${out.bold('global variables')}\n`;
    s += table(
      ['section', 'variable', 'offset', 'size', 'linkage'],
      globals.flatMap((m) => m.variables!.map((v) => [m.section, v.name, v.offset, v.size, v.linkage])),
    );
  }
  if (d.externs.length) {
    s += `\n${out.bold(`externs (${d.externs.length})`)}\n`;
    s += table(['name', 'kind', 'weak'], d.externs.map((e) => [e.name, e.kind + (e.func ? ' func' : ' var'), e.weak ? 'yes' : 'no']));
  }
  if (d.relocations.length) {
    s += `\n${out.bold(`relocations (${d.relocations.length})`)}\n`;
    s += table(['function', 'insn', 'kind', 'symbol', 'target'], d.relocations.map((r) => [r.function, r.insn, r.kind, r.symbol, r.target]));
  }
  out.write(s);
  return EXIT_OK;
}
