/**
 * The verifier log in Linux's format (verifier-core.md §15): instruction lines
 * with the scratched-state annotation at the kernel's column, source lines from
 * line_info, level-1 truncation to the failing path, and the closing stats.
 */
import { fmtNum, formatReg } from './reg.js';
import { STACK_CHARS, STACK_SPILL, T, type Frame, type StackSlot, type VState } from './types.js';

export interface DumpFilter {
  /** Bitmask of registers to print (all initialised ones when undefined). */
  regs?: number;
  /** Set of stack slot indices (spi) to print (all non-invalid when undefined). */
  slots?: ReadonlySet<number>;
}

export class VerifierLog {
  private text = '';
  /** Position where the last instruction line ended (before its newline), or -1. */
  private insnLineEnd = -1;
  /** Length of the last instruction line (for the `;` column). */
  private insnLineLen = 0;
  private lastSource = '';

  constructor(
    readonly level: 0 | 1 | 2,
    private readonly btfName?: (id: number) => string,
  ) {}

  get enabled(): boolean {
    return this.level > 0;
  }

  get position(): number {
    return this.text.length;
  }

  /** Level-1 semantics: throw away what the abandoned path printed. */
  truncate(pos: number): void {
    if (pos < this.text.length) this.text = this.text.slice(0, pos);
    this.insnLineEnd = -1;
  }

  /** Forget the last printed source line (after a pop the kernel prints it again when it differs). */
  resetSource(): void {
    this.lastSource = '';
  }

  /** A raw line (a newline is added). */
  line(s: string): void {
    if (!this.enabled) return;
    this.text += s + '\n';
    this.insnLineEnd = -1;
  }

  /** Raw text, no newline handling. */
  raw(s: string): void {
    if (!this.enabled) return;
    this.text += s;
    this.insnLineEnd = -1;
  }

  /** `; <source> @ <file>:<line>` when the line differs from the last one printed. */
  source(file: string, line: number, text: string): void {
    if (!this.enabled) return;
    const base = file.slice(file.lastIndexOf('/') + 1);
    const key = `${file}:${line}`;
    if (key === this.lastSource) return;
    this.lastSource = key;
    this.text += `; ${text.replace(/^\s+/, '')} @ ${base}:${line}\n`;
    this.insnLineEnd = -1;
  }

  /** `N: (op) text`. */
  insn(idx: number, text: string): void {
    if (!this.enabled) return;
    const l = `${idx}: ${text}`;
    this.text += l + '\n';
    this.insnLineEnd = this.text.length - 1;
    this.insnLineLen = l.length;
  }

  /**
   * Appends the state items after the instruction line (same line, at the
   * kernel's column) or, when something else was printed since, as `N:<items>`.
   */
  annotate(idx: number, items: string): void {
    if (!this.enabled || items === '') return;
    if (this.insnLineEnd === this.text.length - 1) {
      const col = roundUp8(Math.max(this.insnLineLen + 5, 40)) - 2;
      this.text = this.text.slice(0, this.insnLineEnd) + ' '.repeat(Math.max(1, col - this.insnLineLen)) + ';' + items + '\n';
    } else {
      this.text += `${idx}:${items}\n`;
    }
    this.insnLineEnd = -1;
  }

  /** Position just before the newline of the last instruction line (level-1 push mark). */
  get pushMark(): number {
    return this.insnLineEnd >= 0 ? this.insnLineEnd : this.text.length;
  }

  /** State items ` R0=… fp-8=…` of the current frame (and a frame prefix for frames > 0). */
  dump(state: VState, frameIdx: number, filter?: DumpFilter): string {
    const f = state.frames[frameIdx]!;
    let out = f.frameno > 0 ? ` frame${f.frameno}:` : '';
    out += dumpFrame(f, f.frameno, filter, this.btfName);
    if (state.refs.length && (!filter || filter.regs === undefined)) out += ` refs=${state.refs.map((r) => r.id).join(',')}`;
    if (f.inCallback) out += ' cb';
    return out;
  }

  finish(): string {
    return this.text;
  }
}

export function roundUp8(n: number): number {
  return (n + 7) & ~7;
}

function dumpFrame(f: Frame, curFrame: number, filter: DumpFilter | undefined, btfName?: (id: number) => string): string {
  let out = '';
  for (let i = 0; i < f.regs.length; i++) {
    const r = f.regs[i]!;
    if (r.type === T.NOT_INIT) continue;
    if (filter?.regs !== undefined && !(filter.regs & (1 << i))) continue;
    out += ` R${i}=${formatReg(r, { curFrame, ...(btfName ? { btfName } : {}) })}`;
  }
  for (let spi = 0; spi < f.stack.length; spi++) {
    const sl = f.stack[spi]!;
    if (filter?.slots !== undefined && !filter.slots.has(spi)) continue;
    const t = slotText(sl, curFrame, btfName);
    if (t !== undefined) out += ` fp${-(spi + 1) * 8}=${t}`;
  }
  return out;
}

/** `????ctx()`, `0000????`, `m` chars… (§15.3); undefined for an all-invalid slot. */
export function slotText(sl: StackSlot, curFrame: number, btfName?: (id: number) => string): string | undefined {
  const b = sl.bytes;
  if (b[7] === STACK_SPILL && sl.spilled) {
    let pre = '';
    for (let j = 0; j < 8 && b[j] !== STACK_SPILL; j++) pre += STACK_CHARS[b[j]!];
    return pre + formatReg(sl.spilled, { curFrame, ...(btfName ? { btfName } : {}) });
  }
  let any = false;
  let s = '';
  for (let j = 0; j < 8; j++) {
    if (b[j] !== 0) any = true;
    s += STACK_CHARS[b[j]!];
  }
  return any ? s : undefined;
}

export function statsLine(processed: number, limit: number, maxStatesPerInsn: number, total: number, peak: number): string {
  return `processed ${processed} insns (limit ${limit}) max_states_per_insn ${maxStatesPerInsn} total_states ${total} peak_states ${peak} mark_read 0`;
}

export { fmtNum };
