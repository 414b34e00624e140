/**
 * The one error type of `@bpfkit/object`. Every structural problem in an object file,
 * and every libbpf-style rejection while building the spec or linking, is an
 * `ObjectError` with a stable `code` and the best location known.
 */

export type ObjectErrorCode =
  | 'NOT_ELF'
  | 'ELF_CLASS'
  | 'ELF_DATA'
  | 'ELF_VERSION'
  | 'ELF_MACHINE'
  | 'ELF_TYPE'
  | 'TRUNCATED'
  | 'BAD_HEADER'
  | 'SECTION_BOUNDS'
  | 'BAD_SECTION'
  | 'BAD_STRING'
  | 'BAD_SYMBOL'
  | 'BAD_RELOCATION'
  | 'BAD_PROGRAM'
  | 'BAD_MAP'
  | 'BAD_BTF'
  | 'BAD_EXTERN'
  | 'BAD_CORE'
  | 'LINK';

export interface ObjectErrorLocation {
  /** Section name, when known. */
  readonly section?: string;
  /** Section header index, when known. */
  readonly sectionIndex?: number;
  /** Byte offset: in the file for header/table problems, in the section otherwise (see `offsetIn`). */
  readonly offset?: number;
  /** What `offset` is relative to. */
  readonly offsetIn?: 'file' | 'section';
  readonly symbol?: string;
  readonly symbolIndex?: number;
  readonly program?: string;
  /** Instruction (slot) index. */
  readonly insn?: number;
  readonly map?: string;
  readonly btfTypeId?: number;
}

export class ObjectError extends Error {
  override readonly name = 'ObjectError';
  readonly code: ObjectErrorCode;
  readonly location: ObjectErrorLocation;

  constructor(code: ObjectErrorCode, message: string, location: ObjectErrorLocation = {}, options?: { cause?: unknown }) {
    super(message + formatLocation(location), options);
    this.code = code;
    this.location = location;
  }
}

function formatLocation(loc: ObjectErrorLocation): string {
  const parts: string[] = [];
  if (loc.program !== undefined) parts.push(`program '${loc.program}'`);
  if (loc.section !== undefined || loc.sectionIndex !== undefined) {
    parts.push(`section ${loc.sectionIndex ?? '?'}${loc.section !== undefined ? ` '${loc.section}'` : ''}`);
  }
  if (loc.offset !== undefined) parts.push(`${loc.offsetIn === 'section' ? 'section offset' : 'file offset'} 0x${loc.offset.toString(16)}`);
  if (loc.symbol !== undefined || loc.symbolIndex !== undefined) {
    parts.push(`symbol ${loc.symbolIndex ?? '?'}${loc.symbol !== undefined ? ` '${loc.symbol}'` : ''}`);
  }
  if (loc.insn !== undefined) parts.push(`insn ${loc.insn}`);
  if (loc.map !== undefined) parts.push(`map '${loc.map}'`);
  if (loc.btfTypeId !== undefined) parts.push(`BTF type ${loc.btfTypeId}`);
  return parts.length ? ` (at ${parts.join(', ')})` : '';
}
