/**
 * Translates one BPF function (everything reachable from an entry pc without following calls)
 * into the source of a JS function. Registers are pairs of int32 locals (`Ln` low, `Hn` high
 * word); basic blocks are `case` labels of a `switch (pc)` inside a loop, so straight-line code
 * falls through and jumps are `pc = T; continue`. Instructions are counted per block against
 * the budget. Memory goes through a DataView over core memory, re-read after every call.
 *
 * Functions over SPLIT_OVER instructions are split into parts (one JS function per range of
 * about PART_SIZE instructions, cut between small loops) that keep registers in `RS[depth]` across
 * part switches, and a driver that dispatches between them.
 *
 * Generated function: `(depth, L1, H1, ..., L5, H5) => r0 low word`, r0's high word in `HI[0]`.
 * Free names the factory provides: X (run state: n, B, dv, depth, x = pc of the last exit), HI, FP (frame tops),
 * F (compiled functions by entry pc), RS (register arrays of split functions per frame) and the runtime helpers listed in `RUNTIME_NAMES`.
 */
import type { Decoded } from './decode.js';

/** Fault codes (same numbers as the core's FaultCode). */
const BAD_ACCESS = 1;
const BAD_INSN = 4;
const STACK = 6;
const BAD_JUMP = 8;

export const MAX_FRAMES = 8;
/** may_goto budget per frame (Linux BPF_MAX_LOOPS). */
export const MAY_GOTO_START = 8 * 1024 * 1024;
/** Most labelled blocks open at once (forward targets per segment). */
const MAX_NESTING = 200;

/** Functions with more reachable instructions than this are split into parts (see `generate`). */
export const SPLIT_OVER = 600;
/** Target size of a part, in instructions. */
export const PART_SIZE = 300;

/** How large functions are split (tests force splitting of small ones). */
export interface SplitOptions {
  /** Split functions with more reachable instructions than this (default SPLIT_OVER). */
  readonly splitOver?: number;
  /** Target part size in instructions (default PART_SIZE). */
  readonly partSize?: number;
}

/** Names bound by the factory around the generated function. */
export const RUNTIME_NAMES = ['umulh', 'udiv64', 'umod64', 'sdiv64', 'smod64', 'FLT', 'CK', 'HELPER', 'KFUNC', 'CALLX', 'COMPILE', 'BUDGET'] as const;

/** Control-flow shape of one instruction. */
const enum Flow {
  Next, // falls through
  Jump, // unconditional jump to target
  Cond, // conditional jump: target or fall through
  Exit,
  Call, // returns to the next instruction; ends a block
  Throw, // always faults
}

interface Shape {
  flow: Flow;
  target: number;
  len: number;
}

/** Marks slot heads (a linear scan from 0: the second slot of an ld_imm64 is not a head). */
export function slotHeads(d: Decoded): Uint8Array {
  const heads = new Uint8Array(d.slots);
  for (let i = 0; i < d.slots; i += d.code[i] === 0x18 ? 2 : 1) heads[i] = 1;
  return heads;
}

const ATOMIC_OPS = new Set([0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1]);
const lit = (v: number): string => (v < 0 ? `(${v})` : `${v}`);
const q = (s: string): string => JSON.stringify(s);

const ALU_NAMES: Record<number, string> = {
  0x00: 'add', 0x10: 'sub', 0x20: 'mul', 0x30: 'div', 0x40: 'or', 0x50: 'and', 0x60: 'lsh', 0x70: 'rsh',
  0x80: 'neg', 0x90: 'mod', 0xa0: 'xor', 0xb0: 'mov', 0xc0: 'arsh', 0xd0: 'end',
};

export class FunctionGen {
  private readonly heads: Uint8Array;
  private readonly shapes: (Shape | undefined)[] = [];
  private readonly bad: (string | null | undefined)[] = [];

  private seg = new Int32Array(0);
  private fwd = new Set<number>();
  /** Part of each pc and whether the function being generated has several parts. */
  private part = new Int32Array(0);
  private multi = false;
  private readonly opts: Required<SplitOptions>;

  constructor(
    private readonly d: Decoded,
    private readonly checked: boolean,
    heads?: Uint8Array,
    opts: SplitOptions = {},
  ) {
    this.heads = heads ?? slotHeads(d);
    this.opts = { splitOver: opts.splitOver ?? SPLIT_OVER, partSize: opts.partSize ?? PART_SIZE };
  }

  private validTarget(t: number): boolean {
    return t >= 0 && t < this.d.slots && this.heads[t] === 1;
  }

  /** Why the instruction at pc is invalid, or undefined when it is valid. */
  private computeInvalid(pc: number): string | undefined {
    const { code: C, dst: D, src: S, off: O, imm: I } = this.d;
    const code = C[pc];
    const cls = code & 7;
    if (D[pc] > 10 || S[pc] > 10) {
      // call/ld_imm64 use src as a pseudo source (≤ 6), still a nibble ≤ 10.
      return `invalid register r${Math.max(D[pc], S[pc])}`;
    }
    const op = code & 0xf0;
    switch (cls) {
      case 4:
      case 7: {
        if (op >= 0xe0) return `unknown opcode ${hex2(code)}`;
        if (op === 0x80 && code & 8) return `unknown opcode ${hex2(code)}`;
        if (op === 0xd0) {
          if (cls === 7 && code & 8) return `unknown opcode ${hex2(code)}`;
          if (I[pc] !== 16 && I[pc] !== 32 && I[pc] !== 64) return `byte swap width ${I[pc]}`;
          return undefined;
        }
        if (op === 0x30 || op === 0x90) {
          if (O[pc] !== 0 && O[pc] !== 1) return `reserved offset ${O[pc]}`;
          return undefined;
        }
        if (op === 0xb0) {
          const o = O[pc];
          if (o === 0) return undefined;
          if (!(code & 8)) return `reserved offset ${o}`;
          if (o === 8 || o === 16 || (o === 32 && cls === 7)) return undefined;
          return o === 1 && cls === 7 ? 'addr_space_cast is not supported' : `reserved offset ${o}`;
        }
        return undefined;
      }
      case 5:
      case 6: {
        if (op === 0x00) return (code & 8) ? `unknown opcode ${hex2(code)}` : undefined;
        if (op === 0xf0) return `unknown opcode ${hex2(code)}`;
        if (op === 0x80) {
          if (cls === 6) return `unknown opcode ${hex2(code)}`;
          if (code & 8) return undefined; // callx
          if (S[pc] > 2) return `unknown call source ${S[pc]}`;
          return undefined;
        }
        if (op === 0x90) return cls === 6 || code & 8 ? `unknown opcode ${hex2(code)}` : undefined;
        if (op === 0xe0) {
          if (cls === 6 || code & 8 || S[pc] !== 0) return `unknown opcode ${hex2(code)}`;
          return undefined;
        }
        return undefined;
      }
      case 1: {
        const mode = code & 0xe0;
        if (mode === 0x60) return undefined;
        if (mode === 0x80 && (code & 0x18) !== 0x18) return undefined;
        return `unknown opcode ${hex2(code)}`;
      }
      case 2:
        return (code & 0xe0) === 0x60 ? undefined : `unknown opcode ${hex2(code)}`;
      case 3: {
        const mode = code & 0xe0;
        if (mode === 0x60) return undefined;
        if (mode === 0xc0) {
          const a = I[pc];
          const size = code & 0x18;
          if (a === 0x100 || a === 0x110) return undefined;
          if (size !== 0x00 && size !== 0x18) return `atomic op ${hex2(a)} of size ${size}`;
          if (ATOMIC_OPS.has(a)) return undefined;
          return `unknown atomic op 0x${(a >>> 0).toString(16)}`;
        }
        return `unknown opcode ${hex2(code)}`;
      }
      default: {
        if (code !== 0x18) return `unsupported opcode ${hex2(code)} (legacy packet access)`;
        if (pc + 1 >= this.d.slots) return 'ld_imm64 without its second slot';
        if (C[pc + 1] !== 0 || D[pc + 1] !== 0 || S[pc + 1] !== 0 || O[pc + 1] !== 0) return 'invalid ld_imm64 second slot';
        return undefined;
      }
    }
  }

  private shape(pc: number): Shape {
    return (this.shapes[pc] ??= this.computeShape(pc));
  }

  private invalid(pc: number): string | undefined {
    let b = this.bad[pc];
    if (b === undefined) b = this.bad[pc] = this.computeInvalid(pc) ?? null;
    return b ?? undefined;
  }

  private computeShape(pc: number): Shape {
    const { code: C, off: O, imm: I } = this.d;
    const code = C[pc];
    if (this.invalid(pc) !== undefined) return { flow: Flow.Throw, target: -1, len: 1 };
    const cls = code & 7;
    if (cls === 5 || cls === 6) {
      const op = code & 0xf0;
      if (op === 0x00) return { flow: Flow.Jump, target: pc + 1 + (cls === 6 ? I[pc] : O[pc]), len: 1 };
      if (op === 0x80) return { flow: Flow.Call, target: -1, len: 1 };
      if (op === 0x90) return { flow: Flow.Exit, target: -1, len: 1 };
      return { flow: Flow.Cond, target: pc + 1 + O[pc], len: 1 };
    }
    return { flow: Flow.Next, target: -1, len: code === 0x18 ? 2 : 1 };
  }

  /** Generates the function starting at `entry` (a valid slot head). */
  generate(entry: number): string {
    const d = this.d;
    const reach = new Uint8Array(d.slots);
    const leader = new Uint8Array(d.slots);
    const work = [entry];
    leader[entry] = 1;
    let usesMayGoto = false;
    let size = 0;
    while (work.length) {
      let pc = work.pop()!;
      while (pc < d.slots && !reach[pc]) {
        reach[pc] = 1;
        size++;
        const s = this.shape(pc);
        const next = pc + s.len;
        if (s.flow === Flow.Jump || s.flow === Flow.Cond) {
          if (d.code[pc] === 0xe5) usesMayGoto = true;
          if (this.validTarget(s.target)) {
            leader[s.target] = 1;
            work.push(s.target);
          }
        }
        if (s.flow === Flow.Jump || s.flow === Flow.Exit || s.flow === Flow.Throw) break;
        if (next >= d.slots) break; // falls off the end: handled at emission
        if (s.flow === Flow.Cond || s.flow === Flow.Call) leader[next] = 1;
        pc = next;
      }
    }

    const jumps: [number, number][] = [];
    for (let pc = 0; pc < d.slots; pc++) {
      if (!reach[pc]) continue;
      const s = this.shape(pc);
      if ((s.flow === Flow.Jump || s.flow === Flow.Cond) && this.validTarget(s.target)) jumps.push([pc, s.target]);
    }

    // Parts: a function with more than `splitOver` instructions becomes several JS functions over
    // consecutive pc ranges (TurboFan gives up on, or takes long over, one huge function).
    const partStarts = size > this.opts.splitOver ? this.chooseParts(reach, leader, jumps) : [];
    const part = new Int32Array(d.slots);
    {
      let k = -1;
      let i = 0;
      for (let pc = 0; pc < d.slots; pc++) {
        if (i < partStarts.length && partStarts[i] === pc) {
          k++;
          i++;
        }
        part[pc] = Math.max(k, 0);
      }
    }
    this.part = part;
    this.multi = partStarts.length > 1;

    // Segments: ranges of code entered only at their start through the dispatch switch (`b = id;
    // continue`). Backward-jump targets start segments; forward jumps inside a segment are `break`s
    // out of nested labelled blocks, which keeps the dispatch loop (and TurboFan's compile time) small.
    // A forward jump into another segment makes its target a segment start (fixpoint). Parts start
    // segments, so every jump between parts lands on a segment start (`b` = its id).
    const segStart = new Uint8Array(d.slots);
    segStart[entry] = 1;
    for (const p of partStarts) segStart[p] = 1;
    for (const [p, t] of jumps) if (t <= p) segStart[t] = 1;
    const seg = new Int32Array(d.slots).fill(-1);
    let segTargets = new Map<number, Set<number>>();
    for (;;) {
      let id = -1;
      for (let pc = 0; pc < d.slots; pc++) {
        if (!reach[pc]) continue;
        if (segStart[pc] || id < 0) {
          segStart[pc] = 1;
          id++;
        }
        seg[pc] = id;
      }
      let changed = false;
      const fwd = new Map<number, Set<number>>();
      for (const [p, t] of jumps) {
        if (t <= p || segStart[t]) continue;
        if (seg[t] !== seg[p]) {
          segStart[t] = 1;
          changed = true;
        } else {
          let set = fwd.get(seg[t]);
          if (!set) fwd.set(seg[t], (set = new Set()));
          set.add(t);
        }
      }
      // Bound the nesting depth of labelled blocks.
      for (const set of fwd.values()) {
        if (set.size > MAX_NESTING) {
          segStart[[...set].sort((a, b) => a - b)[MAX_NESTING]] = 1;
          changed = true;
        }
      }
      if (!changed) {
        this.fwd = new Set();
        for (const set of fwd.values()) for (const t of set) this.fwd.add(t);
        segTargets = fwd;
        break;
      }
    }
    this.seg = seg;

    const body = (out: string[], from: number, to: number): void => {
      let last = -1;
      for (let pc = from; pc < to; pc++) {
        if (!reach[pc]) continue;
        last = pc;
        if (segStart[pc]) {
          out.push(`case ${seg[pc]}:`);
          // open one labelled block per forward target of this segment, the farthest outermost
          for (const t of [...(segTargets.get(seg[pc]) ?? [])].sort((a, b) => b - a)) out.push(`F${t}: {`);
        } else if (this.fwd.has(pc)) {
          out.push(`} // F${pc}`);
        }
        if (leader[pc]) {
          // Count the block: consecutive reachable instructions up to the next leader or a block end.
          let k = 0;
          for (let p = pc; p < d.slots; ) {
            k++;
            const s = this.shape(p);
            if (s.flow !== Flow.Next) break;
            p += s.len;
            if (p >= d.slots || leader[p] || !reach[p]) break;
          }
          out.push(`if ((n += ${k}) > B) throw BUDGET(${pc}, n - ${k});`);
        }
        out.push(this.emit(pc));
        const s = this.shape(pc);
        if ((s.flow === Flow.Next || s.flow === Flow.Cond || s.flow === Flow.Call) && pc + s.len >= d.slots) {
          out.push(`throw FLT(${BAD_JUMP}, ${pc}, ${q('falls off the end of the program')});`);
        }
        if (s.len === 2) pc++;
      }
      if (this.multi && last >= 0) {
        // the last instruction of a part falls through into the next part
        const s = this.shape(last);
        const next = last + s.len;
        if ((s.flow === Flow.Next || s.flow === Flow.Cond || s.flow === Flow.Call) && next < d.slots) out.push(`b = ${seg[next]}; break out;`);
      }
    };

    const out: string[] = [];
    const regs = 'let L0 = 0, H0 = 0, L6 = 0, H6 = 0, L7 = 0, H7 = 0, L8 = 0, H8 = 0, L9 = 0, H9 = 0, L10 = FP[depth], H10 = 0;';
    if (!this.multi) {
      out.push(`return function bpf_${entry}(depth, L1, H1, L2, H2, L3, H3, L4, H4, L5, H5) {`);
      out.push(regs);
      out.push(`let t = 0, u = 0, v = 0, w = 0, n = X.n, pc = ${entry}, b = ${seg[entry]}, dv = X.dv;`);
      if (usesMayGoto) out.push(`let mg = ${MAY_GOTO_START};`);
      out.push('const B = X.B;');
      out.push('try {');
      out.push('for (;;) switch (b) {');
      body(out, 0, d.slots);
      out.push(`default: throw FLT(${BAD_JUMP}, pc, "bad block");`);
      out.push('}');
      out.push('} catch (e) { throw FLT(0, pc, e); }');
      out.push('};');
      return out.join('\n');
    }

    // One JS function per part: `(depth, b) => next segment id, or -1 after the exit`. Registers live
    // in RS[depth] between parts (a part loads those it uses and stores those it writes); so do the
    // may_goto counter (slot 22) and the instruction count (X.n).
    const segPart: number[] = [];
    for (let pc = 0; pc < d.slots; pc++) if (segStart[pc] && reach[pc]) segPart[seg[pc]] = part[pc];
    out.push(`const SP = [${segPart.join(',')}];`);
    for (let k = 0; k < partStarts.length; k++) {
      const code: string[] = [];
      body(code, partStarts[k], k + 1 < partStarts.length ? partStarts[k + 1] : d.slots);
      const text = code.join('\n');
      const used = new Set<number>();
      const written = new Set<number>();
      for (const m of text.matchAll(/\b([LH])(\d+)\b/g)) used.add((m[1] === 'L' ? 0 : 11) + Number(m[2]));
      for (const m of text.matchAll(/\b([LH])(\d+)\s*(?:<<|>>>|>>|[-+*/%&|^])?=(?!=)/g)) written.add((m[1] === 'L' ? 0 : 11) + Number(m[2]));
      const name = (i: number): string => (i < 11 ? `L${i}` : `H${i - 11}`);
      const mg = usesMayGoto && /\bmg\b/.test(text);
      out.push(`function part_${entry}_${k}(depth, b) {`);
      out.push('const R = RS[depth];');
      if (used.size) out.push(`let ${[...used].sort((a, b) => a - b).map((i) => `${name(i)} = R[${i}]`).join(', ')};`);
      out.push(`let t = 0, u = 0, v = 0, w = 0, n = X.n, pc = ${partStarts[k]}, dv = X.dv;`);
      if (mg) out.push('let mg = R[22];');
      out.push('const B = X.B;');
      out.push('out: try {');
      out.push('for (;;) switch (b) {');
      out.push(text);
      out.push(`default: throw FLT(${BAD_JUMP}, pc, "bad block");`);
      out.push('}');
      out.push('} catch (e) { throw FLT(0, pc, e); }');
      const save = [...written].sort((a, b) => a - b).map((i) => `R[${i}] = ${name(i)};`);
      if (mg) save.push('R[22] = mg;');
      out.push(`X.n = n; ${save.join(' ')}`);
      out.push('return b;');
      out.push('}');
    }
    out.push(`return function bpf_${entry}(depth, L1, H1, L2, H2, L3, H3, L4, H4, L5, H5) {`);
    out.push('const R = RS[depth];');
    out.push('R[0] = 0; R[1] = L1; R[2] = L2; R[3] = L3; R[4] = L4; R[5] = L5; R[6] = 0; R[7] = 0; R[8] = 0; R[9] = 0; R[10] = FP[depth];');
    out.push('R[11] = 0; R[12] = H1; R[13] = H2; R[14] = H3; R[15] = H4; R[16] = H5; R[17] = 0; R[18] = 0; R[19] = 0; R[20] = 0; R[21] = 0;');
    out.push(`R[22] = ${MAY_GOTO_START};`);
    out.push(`let b = ${seg[entry]};`);
    out.push('do switch (SP[b]) {');
    for (let k = 0; k < partStarts.length; k++) out.push(`case ${k}: b = part_${entry}_${k}(depth, b); break;`);
    out.push(`default: throw FLT(${BAD_JUMP}, ${entry}, "bad part");`);
    out.push('} while (b >= 0);');
    out.push('HI[0] = R[11]; return R[0];');
    out.push('};');
    return out.join('\n');
  }

  /**
   * Starts of the parts of a large function: block leaders about `partSize` reachable instructions
   * apart, preferring cuts that no small loop spans (a loop cut in two pays a part switch per turn).
   */
  private chooseParts(reach: Uint8Array, leader: Uint8Array, jumps: readonly [number, number][]): number[] {
    const d = this.d;
    const T = Math.max(1, this.opts.partSize);
    const small = 4 * T;
    // cover[c] = number of small loops (backward jumps p → t, p - t < small) with t < c ≤ p
    const cover = new Int32Array(d.slots + 1);
    for (const [p, t] of jumps) {
      if (t <= p && p - t < small) {
        cover[t + 1]++;
        cover[p + 1]--;
      }
    }
    for (let i = 1; i <= d.slots; i++) cover[i] += cover[i - 1];
    const starts: number[] = [];
    let count = 0; // reachable instructions since the current part start
    let best = -1;
    let bestCost = 0;
    for (let pc = 0; pc < d.slots; pc++) {
      if (!reach[pc]) continue;
      if (starts.length === 0) {
        starts.push(pc);
      } else if (leader[pc] && count >= T >> 1) {
        const cost = cover[pc];
        if (best < 0 || cost < bestCost) {
          best = pc;
          bestCost = cost;
        }
        if (count >= T + (T >> 1) || (cost === 0 && count >= T)) {
          starts.push(best);
          // restart the count from the chosen cut
          count = 0;
          for (let p = best; p < pc; p++) if (reach[p]) count++;
          best = -1;
        }
      }
      count++;
      if (this.d.code[pc] === 0x18) pc++;
    }
    return starts;
  }

  private jumpTo(pc: number, target: number): string {
    if (!this.validTarget(target)) {
      const why = target < 0 || target >= this.d.slots ? `jump out of the program to ${target}` : `jump into the middle of ld_imm64 at ${target}`;
      return `throw FLT(${BAD_JUMP}, ${pc}, ${q(why)});`;
    }
    if (this.multi && this.part[target] !== this.part[pc]) return `{ b = ${this.seg[target]}; break out; }`;
    if (target > pc && this.seg[target] === this.seg[pc] && this.fwd.has(target)) return `break F${target};`;
    return `{ b = ${this.seg[target]}; continue; }`;
  }

  /** Address expression for base register + off, with the access check in checked mode. */
  private addr(pc: number, base: number, off: number, size: number, write: boolean): string {
    if (this.checked) return `t = CK(L${base}, H${base}, ${off}, ${size}, ${write ? 1 : 0}, ${pc});`;
    return `pc = ${pc}; t = (L${base} + ${lit(off)}) >>> 0;`;
  }

  private emit(pc: number): string {
    const bad = this.invalid(pc);
    if (bad !== undefined) return `throw FLT(${BAD_INSN}, ${pc}, ${q(bad)});`;
    const { code: C, dst: D, src: S, off: O, imm: I } = this.d;
    const code = C[pc];
    const dst = D[pc];
    const src = S[pc];
    const off = O[pc];
    const imm = I[pc];
    const cls = code & 7;
    const op = code & 0xf0;
    const x = (code & 8) !== 0;
    const Ld = `L${dst}`;
    const Hd = `H${dst}`;
    switch (cls) {
      case 7:
        return this.alu64(op, x, Ld, Hd, x ? `L${src}` : lit(imm), x ? `H${src}` : imm < 0 ? '(-1)' : '0', src, dst, off, imm);
      case 4:
        return this.alu32(op, x, Ld, Hd, x ? `L${src}` : lit(imm), off, imm);
      case 5:
      case 6:
        return this.jmp(pc, cls, op, x, dst, src, off, imm);
      case 1: {
        const size = [4, 2, 1, 8][(code >> 3) & 3];
        const sx = (code & 0xe0) === 0x80;
        const a = this.addr(pc, src, off, size, false);
        switch (size) {
          case 1: return `${a} ${Ld} = dv.get${sx ? 'Int8' : 'Uint8'}(t); ${Hd} = ${sx ? `${Ld} >> 31` : '0'};`;
          case 2: return `${a} ${Ld} = dv.get${sx ? 'Int16' : 'Uint16'}(t, true); ${Hd} = ${sx ? `${Ld} >> 31` : '0'};`;
          case 4: return `${a} ${Ld} = dv.getInt32(t, true); ${Hd} = ${sx ? `${Ld} >> 31` : '0'};`;
          default: return `${a} ${Ld} = dv.getInt32(t, true); ${Hd} = dv.getInt32(t + 4, true);`;
        }
      }
      case 2:
      case 3: {
        const size = [4, 2, 1, 8][(code >> 3) & 3];
        if ((code & 0xe0) === 0xc0) return this.atomic(pc, size, dst, src, off, imm);
        const a = this.addr(pc, dst, off, size, true);
        const vl = cls === 3 ? `L${src}` : lit(imm);
        const vh = cls === 3 ? `H${src}` : imm < 0 ? '(-1)' : '0';
        switch (size) {
          case 1: return `${a} dv.setInt8(t, ${vl});`;
          case 2: return `${a} dv.setInt16(t, ${vl}, true);`;
          case 4: return `${a} dv.setInt32(t, ${vl}, true);`;
          default: return `${a} dv.setInt32(t, ${vl}, true); dv.setInt32(t + 4, ${vh}, true);`;
        }
      }
      default: {
        // ld_imm64 (relocated by the host: the constant is the value)
        return `${Ld} = ${lit(imm)}; ${Hd} = ${lit(I[pc + 1])};`;
      }
    }
  }

  private alu64(op: number, x: boolean, Ld: string, Hd: string, sL: string, sH: string, src: number, dst: number, off: number, imm: number): string {
    switch (op) {
      case 0x00: return `t = (${Ld} + ${sL}) | 0; ${Hd} = (${Hd} + ${sH} + ((t >>> 0) < (${Ld} >>> 0) ? 1 : 0)) | 0; ${Ld} = t;`;
      case 0x10: return `t = (${Ld} - ${sL}) | 0; ${Hd} = (${Hd} - ${sH} - ((${Ld} >>> 0) < (${sL} >>> 0) ? 1 : 0)) | 0; ${Ld} = t;`;
      case 0x20: return `t = Math.imul(${Ld}, ${sL}); ${Hd} = (umulh(${Ld}, ${sL}) + Math.imul(${Ld}, ${sH}) + Math.imul(${Hd}, ${sL})) | 0; ${Ld} = t;`;
      case 0x30:
        if (off === 1) {
          return `if (${Hd} === (${Ld} >> 31) && ${sH} === (${sL} >> 31)) { t = ${sL} === 0 ? 0 : Math.trunc(${Ld} / ${sL}); ${Ld} = t | 0; ${Hd} = t < 0 ? -1 : 0; } else { ${Ld} = sdiv64(${Ld}, ${Hd}, ${sL}, ${sH}); ${Hd} = HI[0]; }`;
        }
        return `if (${Hd} === 0 && ${sH} === 0) { ${Ld} = ${sL} === 0 ? 0 : ((${Ld} >>> 0) / (${sL} >>> 0)) | 0; } else { ${Ld} = udiv64(${Ld}, ${Hd}, ${sL}, ${sH}); ${Hd} = HI[0]; }`;
      case 0x90:
        if (off === 1) {
          return `if (${Hd} === (${Ld} >> 31) && ${sH} === (${sL} >> 31)) { if (${sL} !== 0) { t = ${Ld} % ${sL}; ${Ld} = t | 0; ${Hd} = t < 0 ? -1 : 0; } } else { ${Ld} = smod64(${Ld}, ${Hd}, ${sL}, ${sH}); ${Hd} = HI[0]; }`;
        }
        return `if (${Hd} === 0 && ${sH} === 0) { if (${sL} !== 0) ${Ld} = ((${Ld} >>> 0) % (${sL} >>> 0)) | 0; } else { ${Ld} = umod64(${Ld}, ${Hd}, ${sL}, ${sH}); ${Hd} = HI[0]; }`;
      case 0x40: return `${Ld} |= ${sL}; ${Hd} |= ${sH};`;
      case 0x50: return `${Ld} &= ${sL}; ${Hd} &= ${sH};`;
      case 0xa0: return `${Ld} ^= ${sL}; ${Hd} ^= ${sH};`;
      case 0x60:
      case 0x70:
      case 0xc0: {
        if (!x) return shift64(op, Ld, Hd, imm & 63);
        const cases: string[] = [];
        cases.push(`u = L${src} & 63;`);
        if (op === 0x60) cases.push(`if (u >= 32) { ${Hd} = ${Ld} << (u - 32); ${Ld} = 0; } else if (u !== 0) { ${Hd} = (${Hd} << u) | (${Ld} >>> (32 - u)); ${Ld} = ${Ld} << u; }`);
        else if (op === 0x70) cases.push(`if (u >= 32) { ${Ld} = (${Hd} >>> (u - 32)) | 0; ${Hd} = 0; } else if (u !== 0) { ${Ld} = (${Ld} >>> u) | (${Hd} << (32 - u)); ${Hd} = (${Hd} >>> u) | 0; }`);
        else cases.push(`if (u >= 32) { ${Ld} = ${Hd} >> (u - 32); ${Hd} = ${Hd} >> 31; } else if (u !== 0) { ${Ld} = (${Ld} >>> u) | (${Hd} << (32 - u)); ${Hd} = ${Hd} >> u; }`);
        return cases.join(' ');
      }
      case 0x80: return `${Hd} = (~${Hd} + (${Ld} === 0 ? 1 : 0)) | 0; ${Ld} = (-${Ld}) | 0;`;
      case 0xb0:
        if (!x || off === 0) return dst === src && x ? '' : `${Ld} = ${sL}; ${Hd} = ${sH};`;
        if (off === 8) return `${Ld} = (${sL} << 24) >> 24; ${Hd} = ${Ld} >> 31;`;
        if (off === 16) return `${Ld} = (${sL} << 16) >> 16; ${Hd} = ${Ld} >> 31;`;
        return `${Ld} = ${sL}; ${Hd} = ${Ld} >> 31;`;
      default: // 0xd0: bswap
        if (imm === 16) return `${Ld} = ((${Ld} & 0xff) << 8) | ((${Ld} >>> 8) & 0xff); ${Hd} = 0;`;
        if (imm === 32) return `${Ld} = ${bswap32(Ld)}; ${Hd} = 0;`;
        return `t = ${bswap32(Ld)}; ${Ld} = ${bswap32(Hd)}; ${Hd} = t;`;
    }
  }

  private alu32(op: number, x: boolean, Ld: string, Hd: string, s: string, off: number, imm: number): string {
    const z = `${Hd} = 0;`;
    switch (op) {
      case 0x00: return `${Ld} = (${Ld} + ${s}) | 0; ${z}`;
      case 0x10: return `${Ld} = (${Ld} - ${s}) | 0; ${z}`;
      case 0x20: return `${Ld} = Math.imul(${Ld}, ${s}); ${z}`;
      case 0x30:
        if (off === 1) return `${Ld} = ${s} === 0 ? 0 : (${Ld} / ${s}) | 0; ${z}`;
        return `${Ld} = ${s} === 0 ? 0 : ((${Ld} >>> 0) / (${s} >>> 0)) | 0; ${z}`;
      case 0x90:
        if (off === 1) return `if (${s} !== 0) ${Ld} = (${Ld} % ${s}) | 0; ${z}`;
        return `if (${s} !== 0) ${Ld} = ((${Ld} >>> 0) % (${s} >>> 0)) | 0; ${z}`;
      case 0x40: return `${Ld} |= ${s}; ${z}`;
      case 0x50: return `${Ld} &= ${s}; ${z}`;
      case 0xa0: return `${Ld} ^= ${s}; ${z}`;
      case 0x60: return `${Ld} <<= ${x ? s : imm & 31}; ${z}`;
      case 0x70: return `${Ld} = (${Ld} >>> ${x ? s : imm & 31}) | 0; ${z}`;
      case 0xc0: return `${Ld} >>= ${x ? s : imm & 31}; ${z}`;
      case 0x80: return `${Ld} = (-${Ld}) | 0; ${z}`;
      case 0xb0:
        if (off === 8) return `${Ld} = (${s} << 24) >> 24; ${z}`;
        if (off === 16) return `${Ld} = (${s} << 16) >> 16; ${z}`;
        return `${Ld} = ${s}; ${z}`;
      default: {
        // 0xd0: le (source bit 0) / be (source bit 1)
        if (!x) {
          if (imm === 16) return `${Ld} &= 0xffff; ${z}`;
          if (imm === 32) return z;
          return '';
        }
        if (imm === 16) return `${Ld} = ((${Ld} & 0xff) << 8) | ((${Ld} >>> 8) & 0xff); ${z}`;
        if (imm === 32) return `${Ld} = ${bswap32(Ld)}; ${z}`;
        return `t = ${bswap32(Ld)}; ${Ld} = ${bswap32(Hd)}; ${Hd} = t;`;
      }
    }
  }

  private jmp(pc: number, cls: number, op: number, x: boolean, dst: number, src: number, off: number, imm: number): string {
    if (op === 0x00) return this.jumpTo(pc, pc + 1 + (cls === 6 ? imm : off));
    if (op === 0x90) return this.multi ? `X.x = ${pc}; b = -1; break out;` : `X.n = n; X.x = ${pc}; HI[0] = H0; return L0;`;
    if (op === 0x80) return this.call(pc, x, dst, src, imm);
    const target = pc + 1 + off;
    if (op === 0xe0) return `if (mg === 0) ${this.jumpTo(pc, target)} mg--;`;
    const Ld = `L${dst}`;
    const Hd = `H${dst}`;
    let cond: string;
    if (cls === 6) {
      const s = x ? `L${src}` : lit(imm);
      const su = x ? `(L${src} >>> 0)` : `${imm >>> 0}`;
      const du = `(${Ld} >>> 0)`;
      switch (op) {
        case 0x10: cond = `${Ld} === ${s}`; break;
        case 0x50: cond = `${Ld} !== ${s}`; break;
        case 0x20: cond = `${du} > ${su}`; break;
        case 0x30: cond = `${du} >= ${su}`; break;
        case 0xa0: cond = `${du} < ${su}`; break;
        case 0xb0: cond = `${du} <= ${su}`; break;
        case 0x60: cond = `${Ld} > ${s}`; break;
        case 0x70: cond = `${Ld} >= ${s}`; break;
        case 0xc0: cond = `${Ld} < ${s}`; break;
        case 0xd0: cond = `${Ld} <= ${s}`; break;
        default: cond = `(${Ld} & ${s}) !== 0`; break; // 0x40 JSET
      }
    } else {
      const sL = x ? `L${src}` : lit(imm);
      const sH = x ? `H${src}` : imm < 0 ? '(-1)' : '0';
      const sLu = x ? `(L${src} >>> 0)` : `${imm >>> 0}`;
      const sHu = x ? `(H${src} >>> 0)` : `${imm < 0 ? 0xffffffff : 0}`;
      const dLu = `(${Ld} >>> 0)`;
      const dHu = `(${Hd} >>> 0)`;
      const ucmp = (o: string, strict: string): string => `(${dHu} ${strict} ${sHu} || (${Hd} === ${sH} && ${dLu} ${o} ${sLu}))`;
      const scmp = (o: string, strict: string): string => `(${Hd} ${strict} ${sH} || (${Hd} === ${sH} && ${dLu} ${o} ${sLu}))`;
      switch (op) {
        case 0x10: cond = `${Ld} === ${sL} && ${Hd} === ${sH}`; break;
        case 0x50: cond = `${Ld} !== ${sL} || ${Hd} !== ${sH}`; break;
        case 0x20: cond = ucmp('>', '>'); break;
        case 0x30: cond = ucmp('>=', '>'); break;
        case 0xa0: cond = ucmp('<', '<'); break;
        case 0xb0: cond = ucmp('<=', '<'); break;
        case 0x60: cond = scmp('>', '>'); break;
        case 0x70: cond = scmp('>=', '>'); break;
        case 0xc0: cond = scmp('<', '<'); break;
        case 0xd0: cond = scmp('<=', '<'); break;
        default: cond = `(${Ld} & ${sL}) !== 0 || (${Hd} & ${sH}) !== 0`; break;
      }
    }
    return `if (${cond}) ${this.jumpTo(pc, target)}`;
  }

  private call(pc: number, x: boolean, dst: number, src: number, imm: number): string {
    const args = 'L1, H1, L2, H2, L3, H3, L4, H4, L5, H5';
    const after = 'n = X.n; dv = X.dv; L0 = t; H0 = HI[0];';
    if (x) return `X.n = n; X.depth = depth; t = CALLX(L${dst}, H${dst}, ${pc}, ${args}); ${after}`;
    if (src === 0) return `X.n = n; X.depth = depth; t = HELPER(${imm}, ${pc}, ${args}); ${after}`;
    if (src === 2) return `X.n = n; X.depth = depth; t = KFUNC(${imm}, ${pc}, ${args}); ${after}`;
    const target = pc + 1 + imm;
    if (!this.validTarget(target)) return `throw FLT(${BAD_JUMP}, ${pc}, ${q(`call to ${target}, outside the program`)});`;
    return `if (depth + 1 >= ${MAX_FRAMES}) throw FLT(${STACK}, ${pc}, ${q(`call to pc ${target}: more than ${MAX_FRAMES} frames`)}); ` +
      `X.n = n; t = (F[${target}] || COMPILE(${target}))(depth + 1, ${args}); ${after}`;
  }

  private atomic(pc: number, size: number, dst: number, src: number, off: number, a: number): string {
    if (a === 0x100) {
      // load-acquire: dst = *(src + off)
      const ad = this.addr(pc, src, off, size, false);
      const Ld = `L${dst}`;
      const Hd = `H${dst}`;
      if (size === 1) return `${ad} ${Ld} = dv.getUint8(t); ${Hd} = 0;`;
      if (size === 2) return `${ad} ${Ld} = dv.getUint16(t, true); ${Hd} = 0;`;
      if (size === 4) return `${ad} ${Ld} = dv.getInt32(t, true); ${Hd} = 0;`;
      return `${ad} ${Ld} = dv.getInt32(t, true); ${Hd} = dv.getInt32(t + 4, true);`;
    }
    const ad = this.addr(pc, dst, off, size, true);
    const Ls = `L${src}`;
    const Hs = `H${src}`;
    if (a === 0x110) {
      if (size === 1) return `${ad} dv.setInt8(t, ${Ls});`;
      if (size === 2) return `${ad} dv.setInt16(t, ${Ls}, true);`;
      if (size === 4) return `${ad} dv.setInt32(t, ${Ls}, true);`;
      return `${ad} dv.setInt32(t, ${Ls}, true); dv.setInt32(t + 4, ${Hs}, true);`;
    }
    const fetch = (a & 1) !== 0;
    const base = a & 0xf0;
    if (size === 4) {
      const load = `${ad} u = dv.getInt32(t, true);`;
      let nv: string;
      switch (a) {
        case 0xe1: return `${load} dv.setInt32(t, ${Ls}, true); ${Ls} = u; ${Hs} = 0;`;
        case 0xf1: return `${load} if (u === L0) dv.setInt32(t, ${Ls}, true); L0 = u; H0 = 0;`;
        default:
          nv = base === 0x00 ? `(u + ${Ls}) | 0` : base === 0x40 ? `u | ${Ls}` : base === 0x50 ? `u & ${Ls}` : `u ^ ${Ls}`;
      }
      return `${load} dv.setInt32(t, ${nv}, true);${fetch ? ` ${Ls} = u; ${Hs} = 0;` : ''}`;
    }
    const load = `${ad} u = dv.getInt32(t, true); v = dv.getInt32(t + 4, true);`;
    switch (a) {
      case 0xe1: return `${load} dv.setInt32(t, ${Ls}, true); dv.setInt32(t + 4, ${Hs}, true); ${Ls} = u; ${Hs} = v;`;
      case 0xf1: return `${load} if (u === L0 && v === H0) { dv.setInt32(t, ${Ls}, true); dv.setInt32(t + 4, ${Hs}, true); } L0 = u; H0 = v;`;
      default: break;
    }
    let st: string;
    if (base === 0x00) st = `w = (u + ${Ls}) | 0; dv.setInt32(t, w, true); dv.setInt32(t + 4, (v + ${Hs} + ((w >>> 0) < (u >>> 0) ? 1 : 0)) | 0, true);`;
    else {
      const o = base === 0x40 ? '|' : base === 0x50 ? '&' : '^';
      st = `dv.setInt32(t, u ${o} ${Ls}, true); dv.setInt32(t + 4, v ${o} ${Hs}, true);`;
    }
    return `${load} ${st}${fetch ? ` ${Ls} = u; ${Hs} = v;` : ''}`;
  }

  /** Human name of an ALU op (for tests/diagnostics). */
  static aluName(op: number): string {
    return ALU_NAMES[op] ?? `op${op}`;
  }
}

function shift64(op: number, Ld: string, Hd: string, k: number): string {
  if (k === 0) return '';
  if (op === 0x60) {
    if (k >= 32) return `${Hd} = ${Ld} << ${k - 32}; ${Ld} = 0;`;
    return `${Hd} = (${Hd} << ${k}) | (${Ld} >>> ${32 - k}); ${Ld} = ${Ld} << ${k};`;
  }
  if (op === 0x70) {
    if (k >= 32) return `${Ld} = (${Hd} >>> ${k - 32}) | 0; ${Hd} = 0;`;
    return `${Ld} = (${Ld} >>> ${k}) | (${Hd} << ${32 - k}); ${Hd} = ${Hd} >>> ${k};`;
  }
  if (k >= 32) return `${Ld} = ${Hd} >> ${k - 32}; ${Hd} = ${Hd} >> 31;`;
  return `${Ld} = (${Ld} >>> ${k}) | (${Hd} << ${32 - k}); ${Hd} = ${Hd} >> ${k};`;
}

function bswap32(r: string): string {
  return `((${r} << 24) | ((${r} & 0xff00) << 8) | ((${r} >>> 8) & 0xff00) | (${r} >>> 24))`;
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}

export { BAD_ACCESS };
