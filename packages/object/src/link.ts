/**
 * Linking one entry program the way libbpf's `bpf_object__relocate` does: CO-RE
 * `type_id_local`, subprogram appending with bpf-to-bpf call / callback fix-ups,
 * map and global-data references as `BPF_PSEUDO_MAP_IDX{,_VALUE}` with map indices,
 * kfunc calls against a platform, and func_info/line_info re-based to the final program.
 */
import { decode, type Insn } from '@bpfkit/isa';
import { ObjectError } from './errors.js';
import {
  BPF_CALL, BPF_LD_IMM64, BPF_PSEUDO_BTF_ID, BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, BPF_PSEUDO_KFUNC_CALL, BPF_PSEUDO_MAP_IDX,
  BPF_PSEUDO_MAP_IDX_VALUE, cloneSlot, decodeSlots, encodeSlots, type Slot,
} from './slots.js';
import { BPF_CORE_TYPE_ID_LOCAL, type CoreRelo, type ExternSpec, type FuncInfo, type FunctionSpec, type LineInfo, type ObjectSpec, type ProgramSpec } from './spec.js';

/** What linking needs from the platform (the kernel we link against). */
export interface LinkPlatform {
  /** Kernel BTF id of a kfunc, or undefined when the platform has none by that name. */
  kfuncBtfId(name: string): number | undefined;
  /** Kernel BTF id of a typed `__ksym` variable. */
  ksymVarBtfId?(name: string): number | undefined;
  /** Address of a typeless `__ksym` variable. */
  ksymAddress?(name: string): bigint | undefined;
}

/** libbpf ≥ 1.2 turns an unresolved weak kfunc call into a call of this helper number + extern index. */
export const POISON_CALL_KFUNC_BASE = 2002000000;

export interface LinkedSubprogram {
  readonly name: string;
  /** First slot of the appended copy in the linked program. */
  readonly start: number;
  readonly slotCount: number;
}

export interface LinkedProgram {
  readonly name: string;
  readonly section: string;
  readonly program: ProgramSpec;
  /** Final instructions (ld_imm64 = one two-slot entry). */
  readonly insns: readonly Insn[];
  /** Final encoding in the object's byte order. */
  readonly bytes: Uint8Array;
  readonly slotCount: number;
  /** The entry function (start 0) followed by appended subprograms in append order. */
  readonly functions: readonly LinkedSubprogram[];
  /** func_info / line_info with `insn` = slot index in the final program. */
  readonly funcInfo: readonly FuncInfo[];
  readonly lineInfo: readonly LineInfo[];
  readonly funcInfoRecSize: number;
  readonly lineInfoRecSize: number;
  /** Map indices (into `spec.maps`) referenced by the program, sorted: the `fd_array` it needs. */
  readonly mapIndices: readonly number[];
  /** CO-RE relocations this linker does not resolve (kinds other than `type_id_local`), with final slot indices. */
  readonly pendingCoreRelos: readonly CoreRelo[];
  /** Log lines in libbpf's debug wording. */
  readonly log: readonly string[];
}

interface Unit {
  fn: FunctionSpec;
  slots: Slot[];
  /** Start in the main program, -1 while not appended. */
  start: number;
}

const isSubprogCall = (s: Slot) => s.code === BPF_CALL && s.src === BPF_PSEUDO_CALL && s.dst === 0 && s.off === 0;
const isPseudoFunc = (s: Slot) => s.code === BPF_LD_IMM64 && s.src === BPF_PSEUDO_FUNC;

function isAluK(code: number): boolean {
  const cls = code & 7;
  return (cls === 4 || cls === 7) && (code & 8) === 0;
}

/** libbpf `bpf_core_patch_insn` for `BPF_CORE_TYPE_ID_LOCAL`: the new value is the local id itself. */
function applyCore(unit: Unit, r: CoreRelo, idx: number, log: string[]): boolean {
  if (r.kind !== BPF_CORE_TYPE_ID_LOCAL) return false;
  const name = unit.fn.name;
  const s = unit.slots[r.insn];
  const loc = { program: name, insn: r.insn, btfTypeId: r.typeId };
  if (!s) throw new ObjectError('BAD_CORE', `prog '${name}': relo #${idx}: insn #${r.insn} is out of range`, loc);
  const v = r.typeId;
  if (isAluK(s.code)) {
    if (s.imm >>> 0 !== v >>> 0) {
      throw new ObjectError('BAD_CORE', `prog '${name}': relo #${idx}: unexpected insn #${r.insn} (ALU) value: got ${s.imm >>> 0}, exp ${v} -> ${v}`, loc);
    }
    s.imm = v | 0;
  } else if (s.code === BPF_LD_IMM64 && s.src === 0 && unit.slots[r.insn + 1]) {
    const got = (BigInt(unit.slots[r.insn + 1].imm >>> 0) << 32n) | BigInt(s.imm >>> 0);
    if (got !== BigInt(v)) {
      throw new ObjectError('BAD_CORE', `prog '${name}': relo #${idx}: unexpected insn #${r.insn} (LDIMM64) value: got ${got}, exp ${v} -> ${v}`, loc);
    }
    s.imm = v | 0;
    unit.slots[r.insn + 1].imm = 0;
  } else {
    throw new ObjectError('BAD_CORE', `prog '${name}': relo #${idx}: trying to relocate unrecognized insn #${r.insn}, code:0x${s.code.toString(16)}, src:0x${s.src.toString(16)}, dst:0x${s.dst.toString(16)}, off:0x${s.off.toString(16)}, imm:0x${(s.imm >>> 0).toString(16)}`, loc);
  }
  log.push(`prog '${name}': relo #${idx}: patched insn #${r.insn} (${isAluK(s.code) ? 'ALU/ALU64' : 'LDIMM64'}) imm ${v} -> ${v}`);
  return true;
}

interface ExternResolution {
  readonly set: boolean;
  readonly btfId: number;
  readonly addr: bigint;
}

/** libbpf `bpf_object__resolve_externs` for ksyms (kconfig values live in the kconfig map data). */
function resolveExterns(externs: readonly ExternSpec[], platform: LinkPlatform, log: string[]): ExternResolution[] {
  return externs.map((e) => {
    const loc = { symbol: e.name, symbolIndex: e.symbolIndex, btfTypeId: e.btfId };
    if (e.kind === 'kconfig') return { set: true, btfId: 0, addr: 0n };
    if (e.isFunc) {
      const id = platform.kfuncBtfId(e.name);
      if (id === undefined) {
        if (e.weak) {
          log.push(`extern '${e.name}' (weak): not resolved, defaulting to zero`);
          return { set: false, btfId: 0, addr: 0n };
        }
        throw new ObjectError('LINK', `extern (func ksym) '${e.name}': not found in kernel or module BTFs`, loc);
      }
      log.push(`extern (func ksym) '${e.name}': resolved to vmlinux [${id}]`);
      return { set: true, btfId: id, addr: 0n };
    }
    if (!e.typeless) {
      const id = platform.ksymVarBtfId?.(e.name);
      if (id === undefined) {
        if (e.weak) return { set: false, btfId: 0, addr: 0n };
        throw new ObjectError('LINK', `extern (var ksym) '${e.name}': not found in kernel BTF`, loc);
      }
      return { set: true, btfId: id, addr: 0n };
    }
    const addr = platform.ksymAddress?.(e.name);
    if (addr === undefined) {
      if (e.weak) return { set: false, btfId: 0, addr: 0n };
      throw new ObjectError('LINK', `extern '${e.name}' (strong): not resolved`, loc);
    }
    return { set: true, btfId: 0, addr };
  });
}

/** Links entry program `progName` of `spec` against `platform`. */
export function linkProgram(spec: ObjectSpec, progName: string, platform: LinkPlatform): LinkedProgram {
  const prog = spec.programs.find((p) => p.name === progName);
  if (!prog) throw new ObjectError('LINK', `program '${progName}' not found`, { program: progName });
  const le = spec.littleEndian;
  const log: string[] = [];
  const resolved = resolveExterns(spec.externs, platform, log);

  const mk = (fn: FunctionSpec): Unit => ({ fn, slots: decodeSlots(fn.bytes, le), start: -1 });
  const main = mk(prog);
  const subs = spec.subprograms.map(mk);

  // 1. CO-RE (per function, before appending) and pending records.
  const pendingLocal = new Map<Unit, CoreRelo[]>();
  for (const u of [main, ...subs]) {
    const pend: CoreRelo[] = [];
    u.fn.coreRelos.forEach((r, i) => {
      if (!applyCore(u, r, i, log)) pend.push(r);
    });
    pendingLocal.set(u, pend);
  }
  // 2. Mark subprogram-address ld_imm64 so they are recognised (libbpf pre-pass).
  for (const u of [main, ...subs]) {
    for (const r of u.fn.relocations) if (r.kind === 'subprog_addr') u.slots[r.insn].src = BPF_PSEUDO_FUNC;
  }

  // 3. Append subprograms (libbpf bpf_object__reloc_code), recursively, once each.
  const out: Slot[] = main.slots.map(cloneSlot);
  main.start = 0;
  const order: Unit[] = [main];
  const findSub = (secInsn: number) =>
    subs.find((s) => secInsn >= s.fn.sectionInsnOffset && secInsn < s.fn.sectionInsnOffset + s.fn.slotCount);

  const relocCode = (u: Unit): void => {
    for (let i = 0; i < u.fn.slotCount; i++) {
      const abs = u.start + i;
      const insn = out[abs];
      if (!isSubprogCall(insn) && !isPseudoFunc(insn)) continue;
      const relo = u.fn.relocations.find((r) => r.insn === i);
      if (relo && relo.kind === 'extern_call') continue;
      const loc = { program: u.fn.name, insn: i, section: u.fn.section };
      if (relo && relo.kind !== 'call' && relo.kind !== 'subprog_addr') {
        throw new ObjectError('LINK', `prog '${u.fn.name}': unexpected relo for insn #${i}, type ${relo.kind}`, loc);
      }
      let subInsnIdx: number;
      if (relo) {
        subInsnIdx = relo.kind === 'call' ? relo.symOff / 8 + insn.imm + 1 : (relo.symOff + insn.imm) / 8;
      } else if (isPseudoFunc(insn)) {
        throw new ObjectError('LINK', `prog '${u.fn.name}': missing subprog addr relo for insn #${i}`, loc);
      } else {
        subInsnIdx = u.fn.sectionInsnOffset + i + insn.imm + 1;
      }
      const sub = Number.isInteger(subInsnIdx) ? findSub(subInsnIdx) : undefined;
      if (!sub) throw new ObjectError('LINK', `prog '${u.fn.name}': no .text section found yet sub-program call exists`, loc);
      if (sub.start < 0) {
        sub.start = out.length;
        for (const s of sub.slots) out.push(cloneSlot(s));
        order.push(sub);
        log.push(`prog '${prog.name}': added ${sub.fn.slotCount} insns from sub-prog '${sub.fn.name}'`);
        relocCode(sub);
      }
      out[abs].imm = sub.start - abs - 1;
      log.push(`prog '${u.fn.name}': insn #${i} relocated, imm ${out[abs].imm} points to subprog '${sub.fn.name}' (now at ${sub.start} offset)`);
    }
  };
  relocCode(main);

  // 4. Data, maps and externs (libbpf bpf_object__relocate_data) for every included function.
  const kconfigMap = spec.maps.find((m) => m.libbpfType === 'kconfig');
  const mapIdx = new Set<number>();
  for (const u of order) {
    u.fn.relocations.forEach((r, ri) => {
      const abs = u.start + r.insn;
      const s = out[abs];
      const s1 = out[abs + 1];
      const loc = { program: u.fn.name, insn: r.insn, symbol: r.symbol };
      switch (r.kind) {
        case 'map':
          s.src = BPF_PSEUDO_MAP_IDX;
          s.imm = r.mapIndex;
          mapIdx.add(r.mapIndex);
          break;
        case 'data':
          s1.imm = (s.imm + r.symOff) | 0;
          s.src = BPF_PSEUDO_MAP_IDX_VALUE;
          s.imm = r.mapIndex;
          mapIdx.add(r.mapIndex);
          break;
        case 'subprog_addr':
          if (s.src !== BPF_PSEUDO_FUNC) throw new ObjectError('LINK', `prog '${u.fn.name}': relo #${ri}: bad insn`, loc);
          break;
        case 'call':
          break;
        case 'extern_var': {
          const ext = spec.externs[r.externIndex];
          const res = resolved[r.externIndex];
          if (ext.kind === 'kconfig') {
            if (!kconfigMap) throw new ObjectError('LINK', `prog '${u.fn.name}': relo #${ri}: no .kconfig map for extern '${ext.name}'`, loc);
            s.src = BPF_PSEUDO_MAP_IDX_VALUE;
            s.imm = kconfigMap.index;
            s1.imm = ext.kconfig!.offset;
            mapIdx.add(kconfigMap.index);
          } else if (!ext.typeless && res.set) {
            s.src = BPF_PSEUDO_BTF_ID;
            s.imm = res.btfId;
            s1.imm = 0;
          } else {
            s.imm = Number(res.addr & 0xffffffffn) | 0;
            s1.imm = Number(res.addr >> 32n) | 0;
          }
          break;
        }
        case 'extern_call': {
          const ext = spec.externs[r.externIndex];
          const res = resolved[r.externIndex];
          if (res.set) {
            s.src = BPF_PSEUDO_KFUNC_CALL;
            s.imm = res.btfId;
            s.off = 0;
          } else {
            // libbpf ≥ 1.2 poison_kfunc_call
            s.code = BPF_CALL;
            s.dst = 0;
            s.src = 0;
            s.off = 0;
            s.imm = POISON_CALL_KFUNC_BASE + ext.index;
          }
          break;
        }
      }
    });
  }

  // 5. func_info / line_info re-based; pending CO-RE records re-based.
  const funcInfo: FuncInfo[] = [];
  const lineInfo: LineInfo[] = [];
  const pendingCoreRelos: CoreRelo[] = [];
  for (const u of order) {
    for (const f of u.fn.funcInfo) funcInfo.push({ ...f, insn: f.insn + u.start });
    for (const l of u.fn.lineInfo) lineInfo.push({ ...l, insn: l.insn + u.start });
    for (const c of pendingLocal.get(u) ?? []) pendingCoreRelos.push({ ...c, insn: c.insn + u.start });
  }

  const bytes = encodeSlots(out, le);
  return {
    name: prog.name,
    section: prog.section,
    program: prog,
    // every function was decoded whole by programs.ts, so the linked bytes decode too
    insns: decode(bytes, { bigEndian: !le }),
    bytes,
    slotCount: out.length,
    functions: order.map((u) => ({ name: u.fn.name, start: u.start, slotCount: u.fn.slotCount })),
    funcInfo,
    lineInfo,
    funcInfoRecSize: spec.btfExt?.funcInfoRecSize || 8,
    lineInfoRecSize: spec.btfExt?.lineInfoRecSize || 16,
    mapIndices: [...mapIdx].sort((a, b) => a - b),
    pendingCoreRelos,
    log,
  };
}
