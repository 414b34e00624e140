/** Field tables of UAPI context structs (byte offsets, sizes). */

export interface CtxField {
  readonly name: string;
  readonly off: number;
  readonly size: number;
}

/** Finds the field containing byte `off`. */
export function fieldAt(fields: readonly CtxField[], off: number): CtxField | undefined {
  return fields.find((f) => off >= f.off && off < f.off + f.size);
}

/** Whether `[off, off+size)` overlaps the field named `name` (the kernel's `bpf_ctx_range` on the start offset). */
export function inField(fields: readonly CtxField[], name: string, off: number): boolean {
  const f = fields.find((x) => x.name === name);
  return f !== undefined && off >= f.off && off < f.off + f.size;
}

/** Whether `off` lies in `[first.off, last.off + last.size)` (`bpf_ctx_range_till`). */
export function inRange(fields: readonly CtxField[], first: string, last: string, off: number): boolean {
  const a = fields.find((x) => x.name === first);
  const b = fields.find((x) => x.name === last);
  return a !== undefined && b !== undefined && off >= a.off && off < b.off + b.size;
}

/** `bpf_ctx_narrow_access_ok`: a power-of-two size no larger than the field. */
export function narrowOk(size: number, fieldSize: number): boolean {
  return size <= fieldSize && (size & (size - 1)) === 0;
}
