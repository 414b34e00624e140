/**
 * Typed errors for BTF / BTF.ext input problems. Every structural problem found while
 * reading bytes is a `BtfError` carrying a machine-readable `code` and a location
 * (byte `offset` into the blob and/or `typeId`).
 */

export type BtfErrorCode =
  | 'TRUNCATED_HEADER'
  | 'BAD_MAGIC'
  | 'BAD_VERSION'
  | 'BAD_FLAGS'
  | 'BAD_HEADER'
  | 'BAD_LAYOUT'
  | 'UNALIGNED'
  | 'BAD_STRINGS'
  | 'BAD_STRING_OFFSET'
  | 'TRUNCATED_TYPE'
  | 'UNKNOWN_KIND'
  | 'TOO_MANY_TYPES'
  | 'BAD_TYPE_ID'
  | 'BAD_BASE'
  | 'RESOLVE_LOOP'
  | 'NO_SIZE'
  | 'NOT_FOUND'
  | 'BAD_RECORD'
  // BTF.ext
  | 'EXT_TRUNCATED'
  | 'EXT_BAD_MAGIC'
  | 'EXT_BAD_VERSION'
  | 'EXT_BAD_FLAGS'
  | 'EXT_BAD_HEADER'
  | 'EXT_BAD_SECTION'
  | 'EXT_BAD_REC_SIZE'
  | 'EXT_BAD_INFO';

export interface BtfErrorLocation {
  /** Byte offset into the blob being parsed. */
  readonly offset?: number;
  /** Type id the problem belongs to. */
  readonly typeId?: number;
}

export class BtfError extends Error {
  override readonly name: string = 'BtfError';
  readonly code: BtfErrorCode;
  readonly offset: number | undefined;
  readonly typeId: number | undefined;

  constructor(code: BtfErrorCode, message: string, loc: BtfErrorLocation = {}) {
    const where: string[] = [];
    if (loc.typeId !== undefined) where.push(`type [${loc.typeId}]`);
    if (loc.offset !== undefined) where.push(`offset ${loc.offset}`);
    super(where.length ? `${message} (${where.join(', ')})` : message);
    this.code = code;
    this.offset = loc.offset;
    this.typeId = loc.typeId;
  }
}

/** Kernel errno names used by the special-field / ownership checks. */
export type KernelErrno = 'E2BIG' | 'EINVAL' | 'EEXIST' | 'ENOENT' | 'ELOOP' | 'EFAULT';

/**
 * A special-field record (btf_record) or struct-meta problem, carrying the errno the
 * kernel returns for it (graph-collections.md §1.5–1.9).
 */
export class BtfRecordError extends BtfError {
  override readonly name: string = 'BtfRecordError';
  readonly errno: KernelErrno;

  constructor(errno: KernelErrno, message: string, loc: BtfErrorLocation = {}) {
    super('BAD_RECORD', `-${errno}: ${message}`, loc);
    this.errno = errno;
  }
}
