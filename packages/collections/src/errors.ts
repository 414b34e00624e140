/**
 * Typed errors of the collections host side: bad records handed to the encoder and
 * corrupt memory images met by the readers. Every error names where it happened
 * (an address in the image, and which field / record entry).
 */

export type CollectionsErrorCode =
  /** An address outside the memory image, NULL where a value is required, or misaligned. */
  | 'BAD_ADDRESS'
  /** A next/prev or parent/child pair that does not agree. */
  | 'BAD_LINK'
  /** A node whose owner field is not the head/root being read. */
  | 'BAD_OWNER'
  /** A node met twice while walking (a cycle). */
  | 'CYCLE'
  /** More nodes (or a deeper nesting) than the reader's limit. */
  | 'LIMIT'
  /** The cached leftmost of an rb root is not the first node. */
  | 'BAD_LEFTMOST'
  /** A record (encoded or to be encoded) that breaks the record format. */
  | 'BAD_RECORD'
  /** A member path that does not name a readable scalar. */
  | 'BAD_MEMBER';

export interface CollectionsErrorLocation {
  /** Address in the memory image. */
  readonly addr?: number;
  /** What was being read: `list head`, `rb node .left`, `record field 2`, ... */
  readonly what?: string;
}

export class CollectionsError extends Error {
  override readonly name: string = 'CollectionsError';
  readonly code: CollectionsErrorCode;
  readonly addr: number | undefined;
  readonly what: string | undefined;

  constructor(code: CollectionsErrorCode, message: string, loc: CollectionsErrorLocation = {}) {
    const where: string[] = [];
    if (loc.what !== undefined) where.push(loc.what);
    if (loc.addr !== undefined) where.push(`at 0x${loc.addr.toString(16)}`);
    super(where.length ? `${message} (${where.join(', ')})` : message);
    this.code = code;
    this.addr = loc.addr;
    this.what = loc.what;
  }
}
