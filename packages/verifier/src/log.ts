/**
 * The verifier log in Linux's format (verifier-core.md §15): instruction lines
 * with the scratched-state annotation at the kernel's column, source lines from
 * line_info, level-1 truncation to the failing path, and the closing stats.
 */
import { fmtNum, formatReg } from './reg.js';
import { STACK_CHARS, STACK_ITER, STACK_SPILL, T, type Frame, type StackSlot, type VState } from './types.js';

export interface DumpFilter {
  /** Bitmask of registers to print (all initialised ones when undefined). */
  regs?: number;
  /** Set of stack slot indices (spi) to print (all non-invalid when undefined). */
  slots?: ReadonlySet<number>;
}

/** The kernel's log buffer is rotating: only the tail survives (we keep 16 MiB, like the oracle's buffer). */
const LOG_KEEP = 16 << 20;

/** Kernel messages printed without a trailing newline (the next output is glued to them). */
const NO_NEWLINE: ReadonlySet<string> = new Set(['expected prog array map for tail call']);

export class VerifierLog {
  /** Completed text, in chunks; `base` bytes were rotated out before the first chunk. */
  private parts: string[] = [];
  private len = 0;
  private base = 0;
  /** The last instruction line while it may still get its annotation (no newline yet). */
  private pend: string | null = null;
  private lastSource = '';

  constructor(
    readonly level: 0 | 1 | 2,
    private readonly btfName?: (id: number) => string,
  ) {}

  get enabled(): boolean {
    return this.level > 0;
  }

  private push(s: string): void {
    this.parts.push(s);
    this.len += s.length;
    if (this.len - this.base > LOG_KEEP * 2) this.rotate();
  }

  private rotate(): void {
    const text = this.parts.join('');
    const keep = text.slice(text.length - LOG_KEEP);
    this.base = this.len - keep.length;
    this.parts = [keep];
  }

  private flush(): void {
    if (this.pend !== null) {
      const p = this.pend;
      this.pend = null;
      this.push(p + '\n');
    }
  }

  /** Level-1 semantics: throw away what the abandoned path printed. */
  truncate(pos: number): void {
    this.flush();
    if (pos <= this.base) {
      this.parts = [];
      this.len = this.base;
      return;
    }
    while (this.len > pos) {
      const last = this.parts.pop()!;
      this.len -= last.length;
      if (this.len < pos) {
        const keep = last.slice(0, pos - this.len);
        this.parts.push(keep);
        this.len += keep.length;
      }
    }
  }

  /** Forget the last printed source line (after a pop the kernel prints it again when it differs). */
  resetSource(): void {
    this.lastSource = '';
  }

  /** A raw line (a newline is added). */
  line(s: string): void {
    if (!this.enabled) return;
    this.flush();
    this.push(s + '\n');
  }

  /** An error message line; the few messages the kernel prints without a newline are printed without one too. */
  errorLine(s: string): void {
    if (NO_NEWLINE.has(s)) this.raw(s);
    else this.line(s);
  }

  /** Raw text, no newline handling. */
  raw(s: string): void {
    if (!this.enabled) return;
    this.flush();
    this.push(s);
  }

  /** `; <source> @ <file>:<line>` when the line differs from the last one printed. */
  source(file: string, line: number, text: string): void {
    if (!this.enabled) return;
    const key = `${file}:${line}`;
    if (key === this.lastSource) return;
    this.lastSource = key;
    const base = file.slice(file.lastIndexOf('/') + 1);
    this.line(`; ${text.replace(/^\s+/, '')} @ ${base}:${line}`);
  }

  /** `N: (op) text`. */
  insn(idx: number, text: string): void {
    if (!this.enabled) return;
    this.flush();
    this.pend = `${idx}: ${text}`;
  }

  /**
   * Appends the state items after the instruction line (same line, at the
   * kernel's column) or, when something else was printed since, as `N:<items>`.
   */
  /** `scratched`: registers or slots were touched, so Linux prints the `;` even when none of them prints. */
  annotate(idx: number, items: string, scratched = false): void {
    if (!this.enabled || (items === '' && !scratched)) return;
    if (this.pend !== null) {
      const len = this.pend.length;
      const col = roundUp8(Math.max(len + 5, 40)) - 2;
      this.pend += ' '.repeat(Math.max(1, col - len)) + ';' + items;
      this.flush();
    } else {
      this.push(`${idx}:${items}\n`);
    }
  }

  /** Position just before the newline of the last instruction line (level-1 push mark). */
  get pushMark(): number {
    return this.pend !== null ? this.len + this.pend.length : this.len;
  }

  /** State items ` R0=… fp-8=…` of the current frame (and a frame prefix for frames > 0). */
  dump(state: VState, frameIdx: number, filter?: DumpFilter): string {
    const f = state.frames[frameIdx]!;
    let out = f.frameno > 0 ? ` frame${f.frameno}:` : '';
    out += dumpFrame(f, f.frameno, filter, this.btfName);
    // print_verifier_state prints the held references after every dump, scratched-only annotations included
    // lock entries are references too (6.13+); ids of 0 are skipped, and nothing prints when the first is 0
    const refs = state.refs.filter((r) => r.kind !== 'rcu');
    if (refs.length && refs[0]!.id) out += ` refs=${refs.filter((r) => r.id).map((r) => r.id).join(',')}`;
    if (f.inCallback) out += ' cb';
    return out;
  }

  finish(): string {
    this.flush();
    return this.parts.join('');
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
  if (b[0] === STACK_ITER && sl.iter) return `iter_num(ref_id=${sl.iter.refId},state=${sl.iter.state},depth=${sl.iter.depth})`;
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
