/**
 * Differential test against the running kernel (6.18), replaying random programs recorded by
 * `testing/record-oracle.mjs`: every register text after every ALU op, both successors of every conditional jump,
 * and the static prediction must match the kernel's log.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AluOp } from '@bpfkit/isa';
import {
  formatScalar,
  isBranchTaken,
  refineBranch,
  scalarAlu,
  scalarFromImm,
  scalarIsConst,
  scalarUnknown,
  type Scalar,
} from './index.js';

interface Step {
  k: 'alu' | 'jmp';
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
  seen: boolean;
  after: Record<string, string>;
  taken: Record<string, string> | null;
}

const forks: string[] = [];
const data = JSON.parse(readFileSync(new URL('./__fixtures__/scalar-oracle.json', import.meta.url), 'utf8')) as {
  kernel: string;
  cases: { steps: Step[] }[];
};

const OPS: Record<number, string> = {
  0x00: 'add', 0x10: 'sub', 0x20: 'mul', 0x30: 'div', 0x40: 'or', 0x50: 'and', 0x60: 'lsh', 0x70: 'rsh', 0x80: 'neg',
  0x90: 'mod', 0xa0: 'xor', 0xb0: 'mov', 0xc0: 'arsh', 0xd0: 'end',
};

function describeStep(s: Step): string {
  const x = (s.code & 8) !== 0;
  return `${s.k} ${s.code.toString(16)} ${s.k === 'alu' ? OPS[s.code & 0xf0] : ''} r${s.dst} ${x ? 'r' + s.src : s.imm} off=${s.off}`;
}

/** Replays one program; returns the list of mismatches and counts of comparisons. */
function replay(steps: Step[]): { mismatches: string[]; compared: number } {
  const regs = new Map<number, Scalar>([6, 7, 8, 9].map((r) => [r, scalarUnknown()]));
  const mismatches: string[] = [];
  let compared = 0;
  const cmp = (what: string, got: Scalar, want: string | undefined): void => {
    if (want === undefined) return;
    compared++;
    const text = formatScalar(got);
    if (text !== want) mismatches.push(`${what}: got ${text} want ${want}`);
  };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (!s.seen) break;
    const x = (s.code & 8) !== 0;
    const dst = regs.get(s.dst)!;
    const where = `#${i} ${describeStep(s)}`;
    if (s.k === 'alu') {
      const op = s.code & 0xf0;
      const is64 = (s.code & 7) === 7;
      // a register-to-register move links the two registers (shared id); the replay stops there
      if (op === AluOp.MOV && x && s.src !== s.dst && !scalarIsConst(regs.get(s.src)!)) break;
      if (s.taken) {
        // 6.18 forks the state on some ALU ops when dst is in [-1, 0] (`from I to I:`); that is the caller's job
        forks.push(`${dst.smin},${dst.smax}`);
        break;
      }
      const src = op === AluOp.END || !x ? scalarFromImm(s.imm) : regs.get(s.src)!;
      const r = scalarAlu(s.code, is64, dst, src, { off: s.off, imm: s.imm });
      cmp(where, r, s.after[String(s.dst)]);
      regs.set(s.dst, r);
    } else {
      const is32 = (s.code & 7) === 6;
      const same = x && s.src === s.dst;
      const src = x ? regs.get(s.src)! : scalarFromImm(s.imm);
      const pred = isBranchTaken(s.code, is32, dst, src, same);
      const last = i === steps.length - 1;
      const kernel = s.taken ? -1 : last ? null : steps[i + 1].seen ? 0 : 1;
      if (kernel !== null) {
        compared++;
        if (pred !== kernel) {
          mismatches.push(`${where}: predicted ${pred}, kernel ${kernel}`);
          break;
        }
      }
      if (pred !== -1) continue;
      const f = refineBranch(s.code, is32, dst, src, false, same);
      const t = refineBranch(s.code, is32, dst, src, true, same);
      cmp(`${where} fallthrough dst`, f.dst, s.after[String(s.dst)]);
      if (s.taken) cmp(`${where} taken dst`, t.dst, s.taken[String(s.dst)]);
      if (x && !same) {
        cmp(`${where} fallthrough src`, f.src, s.after[String(s.src)]);
        if (s.taken) cmp(`${where} taken src`, t.src, s.taken[String(s.src)]);
        regs.set(s.src, f.src);
      }
      regs.set(s.dst, f.dst);
    }
  }
  return { mismatches, compared };
}

describe(`scalar domain vs kernel ${data.kernel} (recorded)`, () => {
  it('has recorded programs', () => {
    expect(data.cases.length).toBeGreaterThan(100);
  });
  it('matches every recorded register text and branch prediction', () => {
    const all: string[] = [];
    let compared = 0;
    data.cases.forEach((c, n) => {
      const r = replay(c.steps);
      compared += r.compared;
      for (const m of r.mismatches) all.push(`case ${n} ${m}`);
    });
    expect(compared).toBeGreaterThan(1000);
    // the only self-forks seen are on scalars that are exactly {-1, 0}
    expect(new Set(forks)).toEqual(forks.length ? new Set(['-1,0']) : new Set());
    expect(all.slice(0, 20)).toEqual([]);
  });
});
