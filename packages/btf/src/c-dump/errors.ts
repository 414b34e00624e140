/** Typed error for BTF graphs that cannot be rendered as C (libbpf `btf_dump` failures). */

export type BtfCDumpErrorCode =
  /** A cycle of by-value (strong) references, e.g. a struct embedding itself. */
  | 'UNSATISFIABLE_CYCLE'
  /** A type id that does not exist or a kind that cannot appear where it was found. */
  | 'BAD_TYPE'
  /** A declaration chain (pointers, modifiers, arrays) that never reaches a base type. */
  | 'TYPE_LOOP'
  /** Nesting too deep to render (e.g. anonymous types that contain themselves). */
  | 'TOO_DEEP'
  /** The rendering would be far larger than any real BTF produces (shared anonymous subtrees). */
  | 'TOO_LARGE';

export class BtfCDumpError extends Error {
  override readonly name = 'BtfCDumpError';
  readonly code: BtfCDumpErrorCode;
  /** Id of the type at which the problem was detected. */
  readonly typeId: number;

  constructor(code: BtfCDumpErrorCode, message: string, typeId: number) {
    super(`${message} (type [${typeId}])`);
    this.code = code;
    this.typeId = typeId;
  }
}
