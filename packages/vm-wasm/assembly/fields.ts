// Map values with special fields: copy around them (copy_map_value) and drain them (bpf_obj_free_fields).

import { recNFields, recField, fieldKind, fieldOff } from '../../collections/assembly/record';
import { objFreeFields } from './coll';
import { freeObject } from './free';

/** Kernel sizes of the special fields by kind (contract table). */
export function fieldSize(kind: u32): u32 {
  switch (kind) {
    case 1: return 4;   // bpf_spin_lock
    case 2: return 16;  // bpf_list_head
    case 3: return 24;  // bpf_list_node
    case 4: return 16;  // bpf_rb_root
    case 5: return 32;  // bpf_rb_node
    case 6: return 4;   // bpf_refcount
    default: return 8;  // kptrs
  }
}

/** Copy `size` bytes from src to dst, skipping the special fields of `rec` (0 = plain copy). */
export function copyAround(dst: usize, src: usize, size: u32, rec: u32): void {
  if (rec == 0) { memory.copy(dst, src, size); return; }
  let pos: u32 = 0;
  const n = recNFields(rec);
  for (let i: u32 = 0; i < n; i++) {
    const f = recField(rec, i);
    const off = fieldOff(f);
    if (off > pos && off <= size) memory.copy(dst + pos, src + pos, off - pos);
    const e = off + fieldSize(fieldKind(f));
    if (e > pos) pos = e;
  }
  if (pos < size) memory.copy(dst + pos, src + pos, size - pos);
}

/** bpf_obj_free_fields on a map value. */
export function drainValue(value: usize, rec: u32): void {
  if (rec != 0) objFreeFields(<u32>value, rec, freeObject);
}
