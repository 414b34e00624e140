/**
 * Internal control flow for the first error: the checker throws `Reject` with
 * Linux's message lines; the driver catches it, writes the lines into the log
 * and builds the report. `VerifierInternalError` is our own bug, never the
 * program's: it names the instruction so it can be reported.
 */
export type Errno = 'EPROTO' | 'EINVAL' | 'EACCES' | 'E2BIG' | 'EFAULT' | 'ENOTSUPP' | 'EBADF' | 'ENOSPC' | 'EPERM' | 'ELOOP' | 'ENOENT' | 'EEXIST' | 'ENOMEM';

export class Reject extends Error {
  override readonly name = 'Reject';
  constructor(
    readonly errno: Errno,
    readonly lines: readonly string[],
    /** Instruction index, or -1 for program-level checks. */
    readonly insn: number,
    /** Beyond Linux: instructions behind the error (role: `acquired`, `lock taken`, …). */
    readonly related: readonly { insn: number; role: string }[] = [],
  ) {
    super(lines[0] ?? 'rejected');
  }
}

export class VerifierInternalError extends Error {
  override readonly name = 'VerifierInternalError';
  constructor(
    message: string,
    readonly insn: number,
  ) {
    super(`internal verifier error at insn ${insn}: ${message}`);
  }
}

/** Throw a rejection (EACCES unless stated). */
export function reject(insn: number, errno: Errno, ...lines: string[]): never {
  throw new Reject(errno, lines, insn);
}

/** `reject` with the instructions that explain it (beyond Linux: shown by `bpfkit verify`). */
export function rejectWith(insn: number, errno: Errno, related: readonly { insn: number; role: string }[], ...lines: string[]): never {
  throw new Reject(errno, lines, insn, related.filter((r) => r.insn >= 0));
}
