/** Error codes raised for malformed instruction bytes. */
export type IsaErrorCode = 'BAD_LENGTH' | 'TRUNCATED_LD_IMM64' | 'BAD_FIELD';

/**
 * A problem with instruction bytes or an `Insn` value. `slot` is the 8-byte slot
 * index (already offset by `baseIndex`), `byteOffset` the offset in the input.
 */
export class IsaError extends Error {
  override readonly name = 'IsaError';
  constructor(
    readonly code: IsaErrorCode,
    message: string,
    readonly slot: number,
    readonly byteOffset: number,
    /** The Linux verifier's message for the same condition, when it has one. */
    readonly kernelMessage?: string,
  ) {
    super(message);
  }
}

export type AsmErrorCode =
  | 'SYNTAX'
  | 'RANGE'
  | 'UNKNOWN_LABEL'
  | 'DUPLICATE_LABEL'
  | 'UNKNOWN_NAME';

/** An assembler error; `line` and `column` are 1-based. */
export class AsmError extends Error {
  override readonly name = 'AsmError';
  constructor(
    readonly code: AsmErrorCode,
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${line}:${column}: ${reason}`);
  }
}
