/**
 * `ObjectSpec`: everything libbpf learns when it opens an object, as deterministic plain
 * data (JSON-serialisable except `Uint8Array`s, `bigint`s and the parsed `Btf`).
 */
import type { Btf, BtfExt } from '@bpfkit/btf';
import type { ElfFile } from './elf/types.js';
import type { ProgramKind } from './sec-defs.js';
import type { Insn } from '@bpfkit/isa';

export interface FuncInfo {
  /** Slot index relative to the start of the function. */
  readonly insn: number;
  readonly typeId: number;
}

export interface LineInfo {
  readonly insn: number;
  readonly fileNameOff: number;
  readonly lineOff: number;
  readonly lineCol: number;
  readonly fileName: string;
  /** Source line text (may be empty). */
  readonly line: string;
  readonly lineNum: number;
  readonly col: number;
}

export const CORE_RELO_KIND_NAMES = [
  'byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64', 'local_type_id',
  'target_type_id', 'type_exists', 'type_size', 'enumval_exists', 'enumval_value', 'type_matches',
] as const;
export const BPF_CORE_TYPE_ID_LOCAL = 6;

export interface CoreRelo {
  /** Slot index relative to the start of the function. */
  readonly insn: number;
  readonly typeId: number;
  readonly accessStrOff: number;
  readonly accessStr: string;
  readonly kind: number;
  readonly kindName: string;
}

/**
 * A program relocation in libbpf's interpretation (`struct reloc_desc`). `insn` is the
 * slot index relative to the owning function; `symbol` is the name libbpf prints
 * (section name for section symbols).
 */
export type RelocationSpec =
  | { readonly kind: 'map'; readonly insn: number; readonly symbol: string; readonly mapIndex: number; readonly map: string }
  | {
      readonly kind: 'data';
      readonly insn: number;
      readonly symbol: string;
      readonly mapIndex: number;
      readonly map: string;
      /** `st_value` of the symbol (libbpf `sym_off`); the value offset is this plus the insn's `imm`. */
      readonly symOff: number;
    }
  | { readonly kind: 'subprog_addr'; readonly insn: number; readonly symbol: string; readonly symOff: number }
  | { readonly kind: 'call'; readonly insn: number; readonly symbol: string; readonly symOff: number }
  | { readonly kind: 'extern_call'; readonly insn: number; readonly symbol: string; readonly externIndex: number }
  | { readonly kind: 'extern_var'; readonly insn: number; readonly symbol: string; readonly externIndex: number };

export interface FunctionSpec {
  /** Symbol name. */
  readonly name: string;
  /** ELF section name as written (with a leading `?` if any). */
  readonly section: string;
  readonly sectionIndex: number;
  /** Byte offset / length in the section. */
  readonly offset: number;
  readonly size: number;
  /** First slot index in the section (`offset / 8`). */
  readonly sectionInsnOffset: number;
  readonly slotCount: number;
  /** ELF binding is GLOBAL or WEAK. */
  readonly global: boolean;
  readonly weak: boolean;
  /** STV_* of the symbol. */
  readonly visibility: number;
  /** Raw instruction bytes (object byte order). */
  readonly bytes: Uint8Array;
  /** Decoded instructions (ld_imm64 = one two-slot entry). */
  readonly insns: readonly Insn[];
  readonly funcInfo: readonly FuncInfo[];
  readonly lineInfo: readonly LineInfo[];
  readonly coreRelos: readonly CoreRelo[];
  readonly relocations: readonly RelocationSpec[];
  /** BTF FUNC id from the first func_info record, when present. */
  readonly btfFuncId?: number;
}

export interface ProgramSpec extends FunctionSpec {
  /** Section name without the `?` prefix (libbpf `sec_name`). */
  readonly secName: string;
  readonly autoload: boolean;
  readonly kind: ProgramKind;
}

export type SubprogramSpec = FunctionSpec;

export type LibbpfMapType = 'user' | 'data' | 'rodata' | 'bss' | 'kconfig';

export interface DataVariable {
  readonly name: string;
  readonly btfVarId: number;
  readonly offset: number;
  readonly size: number;
  /** Linkage after libbpf's fixup (hidden globals become static). */
  readonly linkage: 'static' | 'global';
}

export interface MapSlotInit {
  readonly slot: number;
  /** Name of the map (map-in-map) or program (prog array) placed in the slot. */
  readonly target: string;
  readonly targetKind: 'map' | 'program';
}

export interface MapSpec {
  /** Index in `ObjectSpec.maps` (libbpf `map_idx`), -1 for inner-map templates. */
  readonly index: number;
  readonly name: string;
  readonly libbpfType: LibbpfMapType;
  /** ELF section the map comes from (`.maps`, `.data`, ...); `.kconfig` for the kconfig map. */
  readonly section: string;
  readonly sectionIndex: number;
  /** Offset of the definition in `.maps` (0 for internal maps). */
  readonly sectionOffset: number;
  /** Numeric `enum bpf_map_type` and its name. */
  readonly type: number;
  readonly typeName: string;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly numaNode: number;
  readonly pinning: number;
  readonly mapExtra: bigint;
  readonly btfKeyTypeId: number;
  readonly btfValueTypeId: number;
  /** BTF VAR id of a `.maps` definition (0 for internal maps). */
  readonly btfVarId: number;
  /** Inner-map template for map-in-map. */
  readonly inner?: MapSpec;
  /** Initial `values` slots from `.rel.maps`, sorted by slot. */
  readonly initSlots: readonly MapSlotInit[];
  /** Global data maps: read-only for programs and frozen after init (`.rodata*`, `.kconfig`). */
  readonly frozen: boolean;
  readonly mmapable: boolean;
  /** Initial value bytes for global data maps (zeros for `.bss`/`.kconfig`). */
  readonly initialData?: Uint8Array;
  /** Global data maps: the DATASEC id and its variables sorted by offset. */
  readonly datasecId?: number;
  readonly variables?: readonly DataVariable[];
}

export type KconfigType = 'bool' | 'char' | 'int' | 'tristate' | 'char_arr';

export interface ExternSpec {
  /** Index after libbpf's sort (kconfig by alignment desc, size asc, name; then ksyms by name). */
  readonly index: number;
  readonly name: string;
  readonly kind: 'kconfig' | 'ksym';
  readonly symbolIndex: number;
  readonly weak: boolean;
  /** BTF VAR or FUNC id of the extern. */
  readonly btfId: number;
  /** The DATASEC (`.kconfig` / `.ksyms`) holding it. */
  readonly secBtfId: number;
  readonly isFunc: boolean;
  /** ksym variable declared without a type (`extern const void x __ksym`). */
  readonly typeless: boolean;
  /** ksym: local BTF id of the variable's type or the FUNC_PROTO (libbpf `ksym.type_id`). */
  readonly typeId: number;
  readonly kconfig?: { readonly type: KconfigType; readonly size: number; readonly align: number; readonly offset: number; readonly isSigned: boolean };
}

export interface ObjectSpec {
  /** Object name used for internal map names (libbpf: file base name up to the first dot). */
  readonly name: string;
  readonly littleEndian: boolean;
  readonly license: string;
  readonly kernelVersion?: number;
  /** Entry programs sorted by (section index, offset), `?` sections included. */
  readonly programs: readonly ProgramSpec[];
  /** Functions in `.text`, sorted by offset. */
  readonly subprograms: readonly SubprogramSpec[];
  /** BTF-defined maps (DATASEC order), then global data maps (section order), then `.kconfig`. */
  readonly maps: readonly MapSpec[];
  readonly externs: readonly ExternSpec[];
  readonly btf?: Btf;
  readonly btfExt?: BtfExt;
  /** The ELF view the spec was built from. */
  readonly elf: ElfFile;
}
