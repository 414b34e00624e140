/** Routes an instruction to its checker by class and operation. */
import { Class, JmpOp, Op, type Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { checkAlu } from './alu.js';
import { checkCall } from './call.js';
import { checkExit } from './exit.js';
import { checkCondJmp, checkJa, checkMayGoto } from './jmp.js';
import { checkLdAbsInd, checkLdImm64, checkLdx, checkSt, checkStx } from './mem.js';

export function checkInsn(env: Env, insn: Insn): void {
  switch (insn.code & 0x07) {
    case Class.ALU:
    case Class.ALU64:
      return checkAlu(env, insn);
    case Class.LDX:
      return checkLdx(env, insn);
    case Class.STX:
      return checkStx(env, insn);
    case Class.ST:
      return checkSt(env, insn);
    case Class.LD:
      if (insn.code === Op.LD_IMM64) return checkLdImm64(env, insn);
      return checkLdAbsInd(env, insn);
    default: {
      const op = insn.code & 0xf0;
      if (op === JmpOp.CALL) return checkCall(env, insn);
      if (op === JmpOp.EXIT) return checkExit(env, insn);
      if (op === JmpOp.JA) return checkJa(env, insn);
      if (op === JmpOp.JCOND) return checkMayGoto(env, insn);
      if (op > JmpOp.JCOND) reject(env.insnIdx, 'EINVAL', `invalid BPF_JMP/JMP32 opcode ${op.toString(16)}`);
      return checkCondJmp(env, insn);
    }
  }
}
