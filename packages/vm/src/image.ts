/**
 * Program images (docs/runtime-contract.md "Program image"): a linked program's slots
 * rewritten for the core — map references become descriptor / value addresses, function
 * values `FUNC_BASE + pc`, kfunc calls the core's runtime kfunc ids.
 */
import { helperName } from '@bpfkit/isa';
import { FUNC_BASE, KFUNC_IDS } from '@bpfkit/vm-wasm';
import { LoadError } from './errors.js';

const LD_IMM64 = 0x18;
const CALL = 0x85;

/** Runtime kfunc ids from here up name kfuncs the core does not implement (the core reports a bad call). */
export const UNKNOWN_KFUNC_BASE = 0x1000;

const KFUNC_NAMES = new Map<number, string>(Object.entries(KFUNC_IDS).map(([n, id]) => [id, n]));

export interface RelocationTargets {
  /** Map descriptor address by map index (`BPF_PSEUDO_MAP_IDX` / `_FD` imm). */
  mapAddr(index: number): number | undefined;
  /** Address of the (single) value of a global data / array map by map index, for `_MAP_VALUE` forms. */
  mapValueAddr(index: number): number | undefined;
  /** Kfunc name for a kfunc call's BTF id. */
  kfuncName(btfId: number): string | undefined;
}

export interface RelocatedText {
  readonly text: Uint8Array;
  readonly slots: number;
  /** Runtime kfunc id → name for the unknown ones, for messages. */
  readonly describeCall: (src: number, imm: number) => string;
}

/** Name of a helper (src 0) or runtime kfunc (src 2) call. */
export function callName(src: number, imm: number, unknownKfuncs?: ReadonlyMap<number, string>): string {
  if (src === 2) {
    const n = KFUNC_NAMES.get(imm) ?? unknownKfuncs?.get(imm);
    return n ? `kfunc ${n}` : `kfunc #${imm}`;
  }
  if (src === 1) return `bpf-to-bpf call`;
  const n = helperName(imm >>> 0);
  return n ? `helper ${n}#${imm}` : `helper #${imm >>> 0}`;
}

/**
 * Rewrites the little-endian slot bytes of a linked program. `program` names the program
 * in errors. Unknown pseudo sources are load errors.
 */
export function relocate(program: string, bytes: Uint8Array, targets: RelocationTargets): RelocatedText {
  if (bytes.byteLength % 8 !== 0) throw new LoadError('BAD_OBJECT', `prog '${program}': size ${bytes.byteLength} is not a multiple of 8`, { program });
  const text = bytes.slice();
  const dv = new DataView(text.buffer);
  const slots = text.byteLength / 8;
  const unknown = new Map<number, string>();
  const err = (i: number, msg: string): never => {
    throw new LoadError('BAD_RELOCATION', `prog '${program}': insn ${i}: ${msg}`, { program, insn: i });
  };
  for (let i = 0; i < slots; i++) {
    const p = i * 8;
    const code = text[p]!;
    const src = text[p + 1]! >> 4;
    const imm = dv.getInt32(p + 4, true);
    if (code === LD_IMM64) {
      if (i + 1 >= slots) err(i, 'ld_imm64 without its second slot');
      let value: bigint | undefined;
      switch (src) {
        case 0:
          break;
        case 1:
        case 5: {
          const a = targets.mapAddr(imm);
          if (a === undefined) err(i, `map reference to unknown map ${imm}`);
          value = BigInt(a!);
          break;
        }
        case 2:
        case 6: {
          const a = targets.mapValueAddr(imm);
          if (a === undefined) err(i, `map value reference to map ${imm}, which has no direct value`);
          value = BigInt(a!) + BigInt(dv.getInt32(p + 12, true));
          break;
        }
        case 4: {
          const target = i + 1 + imm;
          if (target < 0 || target >= slots) err(i, `function reference to pc ${target}, outside the program`);
          value = FUNC_BASE + BigInt(target);
          break;
        }
        default:
          err(i, `ld_imm64 with src ${src} (${src === 3 ? 'kernel BTF object' : 'unknown pseudo source'}) is not supported by the runtime`);
      }
      if (value !== undefined) {
        text[p + 1] = text[p + 1]! & 0x0f; // src := 0, keep dst
        dv.setUint32(p + 4, Number(value & 0xffffffffn), true);
        dv.setUint32(p + 12, Number(value >> 32n), true);
      }
      i++;
      continue;
    }
    if (code === CALL && src === 2) {
      const name = targets.kfuncName(imm);
      const kid = name !== undefined ? KFUNC_IDS[name] : undefined;
      if (kid !== undefined) dv.setInt32(p + 4, kid, true);
      else {
        const label = name ?? `btf_id ${imm}`;
        let id = [...unknown].find(([, n]) => n === label)?.[0];
        if (id === undefined) unknown.set((id = UNKNOWN_KFUNC_BASE + unknown.size), label);
        dv.setInt32(p + 4, id, true);
      }
    }
  }
  return { text, slots, describeCall: (src, imm) => callName(src, imm, unknown) };
}
