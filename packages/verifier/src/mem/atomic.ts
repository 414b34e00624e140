/** `BPF_ATOMIC` (`check_atomic`, verifier-core.md §2.2, §16). */
import { AtomicOp, type Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { checkWritable, readReg, setReg } from '../operands.js';
import { regTypeName, unknownScalar } from '../reg.js';
import { T, type RegState } from '../types.js';
import { checkMemAccess } from './access.js';
import { saveAuxPtrType } from './aux.js';

const SIZE_BYTES = [4, 2, 1, 8];

/** `atomic_ptr_type_ok`: no atomics on ctx, packet, flow keys or socket pointers. */
function atomicPtrTypeOk(r: RegState): boolean {
  switch (r.type) {
    case T.PTR_TO_CTX:
      return r.flags !== 0;
    case T.PTR_TO_PACKET:
    case T.PTR_TO_PACKET_META:
      return false;
    case T.PTR_TO_FLOW_KEYS:
    case T.PTR_TO_SOCKET:
    case T.PTR_TO_SOCK_COMMON:
    case T.PTR_TO_TCP_SOCK:
    case T.PTR_TO_XDP_SOCK:
      return r.flags !== 0;
    default:
      return true;
  }
}

/** Atomic read-modify-write: add/or/and/xor (± fetch), xchg, cmpxchg. Reserved fields are checked by the caller. */
function checkAtomicRmw(env: Env, insn: Insn, size: number): void {
  const src = readReg(env, insn.src);
  readReg(env, insn.dst);
  if (insn.imm === AtomicOp.CMPXCHG) {
    const r0 = readReg(env, 0);
    if (!env.allowPtrLeaks && r0.type !== T.SCALAR) reject(env.insnIdx, 'EACCES', 'R0 leaks addr into mem');
  }
  if (!env.allowPtrLeaks && src.type !== T.SCALAR) reject(env.insnIdx, 'EACCES', `R${insn.src} leaks addr into mem`);
  const dst = env.cur.frames[env.cur.frames.length - 1]!.regs[insn.dst]!;
  if (!atomicPtrTypeOk(dst)) {
    reject(env.insnIdx, 'EACCES', `BPF_ATOMIC stores into R${insn.dst} ${regTypeName(dst.type, dst.flags)} is not allowed`);
  }
  let loadReg = -1;
  if (insn.imm & AtomicOp.FETCH) {
    loadReg = insn.imm === AtomicOp.CMPXCHG ? 0 : insn.src;
    checkWritable(env, loadReg);
    setReg(env, loadReg, unknownScalar());
  }
  checkMemAccess(env, insn.dst, insn.off, size, 'read', -1, { strictOnce: true });
  if (loadReg >= 0) checkMemAccess(env, insn.dst, insn.off, size, 'read', loadReg, { strictOnce: true });
  checkMemAccess(env, insn.dst, insn.off, size, 'write', -1, { strictOnce: true });
}

/** `STX | ATOMIC`: dispatch on the atomic operation in `imm`. */
export function checkAtomic(env: Env, insn: Insn): void {
  const size = SIZE_BYTES[(insn.code >> 3) & 3]!;
  switch (insn.imm) {
    case AtomicOp.LOAD_ACQ: {
      readReg(env, insn.src);
      checkWritable(env, insn.dst);
      const base = env.cur.frames[env.cur.frames.length - 1]!.regs[insn.src]!;
      checkMemAccess(env, insn.src, insn.off, size, 'read', insn.dst, { strictOnce: true });
      saveAuxPtrType(env, base, false);
      const after = env.cur.frames[env.cur.frames.length - 1]!.regs[insn.src]!;
      if (!atomicPtrTypeOk(after)) {
        reject(env.insnIdx, 'EACCES', `BPF_ATOMIC loads from R${insn.src} ${regTypeName(after.type, after.flags)} is not allowed`);
      }
      return;
    }
    case AtomicOp.STORE_REL: {
      readReg(env, insn.src);
      const base = readReg(env, insn.dst);
      checkMemAccess(env, insn.dst, insn.off, size, 'write', insn.src, { strictOnce: true });
      saveAuxPtrType(env, base, false);
      if (!atomicPtrTypeOk(base)) {
        reject(env.insnIdx, 'EACCES', `BPF_ATOMIC stores into R${insn.dst} ${regTypeName(base.type, base.flags)} is not allowed`);
      }
      return;
    }
    default:
      checkAtomicRmw(env, insn, size);
  }
}
