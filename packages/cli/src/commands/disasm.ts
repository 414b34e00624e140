/**
 * `bpfkit disasm FILE [--prog NAME]... [--linum]`: each program as it would be
 * loaded (subprograms appended, calls and references resolved), in the kernel's
 * text. Kfunc calls carry the id of the extern in the object's own BTF, since
 * there is no kernel to number them.
 */
import { formatInsnWithCode, Op, type Insn } from '@bpfkit/isa';
import { linkProgram, type LineInfo, type ObjectSpec } from '@bpfkit/object';
import { EXIT_OK } from '../errors.js';
import type { Out } from '../output.js';
import { loadObject, selectPrograms } from './load-object.js';

export interface DisasmJson {
  programs: { name: string; section: string; slots: number; insns: { idx: number; text: string; line: { file: string; line: number; col: number; text: string } | null }[] }[];
}

/** Kfunc names by the ids we give them: the extern's BTF FUNC id in the object. */
function objectPlatform(spec: ObjectSpec) {
  const byName = new Map<string, number>();
  const byId = new Map<number, string>();
  for (const e of spec.externs) {
    if (e.isFunc) {
      byName.set(e.name, e.btfId);
      byId.set(e.btfId, e.name);
    }
  }
  return { platform: { kfuncBtfId: (n: string) => byName.get(n) }, kfuncName: (i: Insn) => byId.get(i.imm) };
}

export function disasmObject(spec: ObjectSpec, names?: readonly string[]): DisasmJson {
  const { platform, kfuncName } = objectPlatform(spec);
  return {
    programs: selectPrograms(spec.programs, names).map((p) => {
      const linked = linkProgram(spec, p.name, platform);
      const lines = new Map<number, LineInfo>();
      for (const l of linked.lineInfo) lines.set(l.insn, l);
      let slot = 0;
      const insns = linked.insns.map((insn) => {
        const idx = slot;
        slot += insn.code === Op.LD_IMM64 ? 2 : 1;
        const l = lines.get(idx);
        return {
          idx,
          text: formatInsnWithCode(insn, { kfuncName }),
          line: l ? { file: l.fileName, line: l.lineNum, col: l.col, text: l.line } : null,
        };
      });
      return { name: p.name, section: p.section, slots: linked.slotCount, insns };
    }),
  };
}

export async function disasm(file: string, opts: { prog?: string[]; linum?: boolean }, out: Out): Promise<number> {
  const spec = loadObject(file);
  const d = disasmObject(spec, opts.prog);
  if (out.json) {
    out.writeJson(d);
    return EXIT_OK;
  }
  const parts: string[] = [];
  for (const p of d.programs) {
    parts.push(`${out.bold(p.name)} (section ${p.section}, ${p.slots} insns):\n`);
    for (const i of p.insns) {
      if (i.line && (i.line.text || opts.linum)) {
        parts.push(out.dim(`; ${i.line.text.trim()}${opts.linum ? ` @ ${i.line.file}:${i.line.line}` : ''}`) + '\n');
      }
      parts.push(`${String(i.idx).padStart(4)}: ${i.text}\n`);
    }
    parts.push('\n');
  }
  out.write(parts.join(''));
  return EXIT_OK;
}
