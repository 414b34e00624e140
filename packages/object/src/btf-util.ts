/**
 * The loader's view of @bpfkit/btf's queries. libbpf's `skip_mods_and_typedefs` hands
 * back the type it stopped at and callers report a missing one with their own message,
 * so this wrapper returns `type: undefined` where @bpfkit/btf would throw (a dangling id,
 * or a modifier cycle, which libbpf would loop on forever). Sizes (`resolveSize`, libbpf's
 * negative errnos) and alignment (`alignOf`) come from @bpfkit/btf as they are.
 */
import { BtfError, skipModsAndTypedefs as skipModsAndTypedefsId, type Btf, type BtfType } from '@bpfkit/btf';

export { alignOf, resolveSize } from '@bpfkit/btf';

/** The type with this id, or undefined when the id is out of range. */
export function typeById(btf: Btf, id: number): BtfType | undefined {
  return id >= 0 && id < btf.types.length ? btf.types[id] : undefined;
}

/** libbpf `skip_mods_and_typedefs`: the id reached past TYPEDEF/modifiers and its type (undefined when none). */
export function skipModsAndTypedefs(btf: Btf, id: number): { id: number; type: BtfType | undefined } {
  try {
    const to = skipModsAndTypedefsId(btf, id);
    return { id: to, type: btf.types[to] };
  } catch (e) {
    if (e instanceof BtfError) return { id, type: undefined };
    throw e;
  }
}
