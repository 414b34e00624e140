/**
 * The BTF type model: one plain, immutable record per type, discriminated by `kind`
 * (the kind names are bpftool's). Records keep the raw fields bpftool prints
 * (`nameOff`, `kindFlag`, `vlen`) so dumps can be byte-exact.
 *
 * Type ids index `Btf.types`; id 0 is `void` (types[0] is the VOID record).
 */

export type BtfKindName =
  | 'VOID'
  | 'INT'
  | 'PTR'
  | 'ARRAY'
  | 'STRUCT'
  | 'UNION'
  | 'ENUM'
  | 'FWD'
  | 'TYPEDEF'
  | 'VOLATILE'
  | 'CONST'
  | 'RESTRICT'
  | 'FUNC'
  | 'FUNC_PROTO'
  | 'VAR'
  | 'DATASEC'
  | 'FLOAT'
  | 'DECL_TAG'
  | 'TYPE_TAG'
  | 'ENUM64';

/** Kind numbers as in `include/uapi/linux/btf.h`; index = kind number. */
export const KIND_NAMES: readonly BtfKindName[] = [
  'VOID', 'INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'FWD', 'TYPEDEF', 'VOLATILE',
  'CONST', 'RESTRICT', 'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC', 'FLOAT', 'DECL_TAG', 'TYPE_TAG', 'ENUM64',
];

/** INT encoding bits (BTF_INT_SIGNED etc.). */
export const INT_SIGNED = 1;
export const INT_CHAR = 2;
export const INT_BOOL = 4;

/** FUNC linkage / VAR linkage values. */
export const LINKAGE_STATIC = 0;
export const LINKAGE_GLOBAL = 1;
export const LINKAGE_EXTERN = 2;

interface BtfTypeBase {
  /** Type id (0 for void). */
  readonly id: number;
  /** Name from the string section; '' when anonymous (nameOff 0). */
  readonly name: string;
  readonly nameOff: number;
  readonly kindFlag: boolean;
  /** Raw vlen field of `info` (for FUNC it is the linkage). */
  readonly vlen: number;
}

export interface BtfVoid extends BtfTypeBase { readonly kind: 'VOID' }
export interface BtfInt extends BtfTypeBase {
  readonly kind: 'INT';
  readonly size: number;
  /** INT_SIGNED | INT_CHAR | INT_BOOL bits (bits 24..27 of the int word). */
  readonly encoding: number;
  readonly bitsOffset: number;
  readonly nrBits: number;
}
/** PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG: a reference to one other type. */
export interface BtfRef extends BtfTypeBase {
  readonly kind: 'PTR' | 'TYPEDEF' | 'VOLATILE' | 'CONST' | 'RESTRICT' | 'TYPE_TAG';
  readonly type: number;
}
export interface BtfArray extends BtfTypeBase {
  readonly kind: 'ARRAY';
  readonly type: number;
  readonly indexType: number;
  readonly nelems: number;
}
export interface BtfMember {
  readonly name: string;
  readonly nameOff: number;
  readonly type: number;
  /** Bit offset of the member (with kindFlag, the low 24 bits of the raw offset). */
  readonly bitsOffset: number;
  /** Bitfield width from the raw offset when kindFlag is set; 0 otherwise. */
  readonly bitfieldSize: number;
}
export interface BtfComposite extends BtfTypeBase {
  readonly kind: 'STRUCT' | 'UNION';
  readonly size: number;
  readonly members: readonly BtfMember[];
}
export interface BtfEnumValue { readonly name: string; readonly nameOff: number; /** raw 32 bits as stored (signed int32) */ readonly value: number }
export interface BtfEnum extends BtfTypeBase {
  readonly kind: 'ENUM';
  readonly size: number;
  readonly values: readonly BtfEnumValue[];
}
export interface BtfEnum64Value { readonly name: string; readonly nameOff: number; /** raw 64 bits, as unsigned */ readonly value: bigint }
export interface BtfEnum64 extends BtfTypeBase {
  readonly kind: 'ENUM64';
  readonly size: number;
  readonly values: readonly BtfEnum64Value[];
}
export interface BtfFwd extends BtfTypeBase { readonly kind: 'FWD' /* kindFlag: true = union */ }
export interface BtfFunc extends BtfTypeBase {
  readonly kind: 'FUNC';
  /** the FUNC_PROTO id */
  readonly type: number;
  /** 0 static, 1 global, 2 extern (= vlen) */
  readonly linkage: number;
}
export interface BtfParam { readonly name: string; readonly nameOff: number; readonly type: number }
export interface BtfFuncProto extends BtfTypeBase {
  readonly kind: 'FUNC_PROTO';
  /** return type id, 0 = void */
  readonly returnType: number;
  /** a trailing {nameOff 0, type 0} param is the `...` marker */
  readonly params: readonly BtfParam[];
}
export interface BtfVar extends BtfTypeBase {
  readonly kind: 'VAR';
  readonly type: number;
  readonly linkage: number;
}
export interface BtfVarSecinfo { readonly type: number; readonly offset: number; readonly size: number }
export interface BtfDatasec extends BtfTypeBase {
  readonly kind: 'DATASEC';
  readonly size: number;
  readonly vars: readonly BtfVarSecinfo[];
}
export interface BtfFloat extends BtfTypeBase { readonly kind: 'FLOAT'; readonly size: number }
export interface BtfDeclTag extends BtfTypeBase {
  readonly kind: 'DECL_TAG';
  readonly type: number;
  /** -1 = the type itself, k >= 0 = member / parameter k */
  readonly componentIdx: number;
}

export type BtfType =
  | BtfVoid
  | BtfInt
  | BtfRef
  | BtfArray
  | BtfComposite
  | BtfEnum
  | BtfEnum64
  | BtfFwd
  | BtfFunc
  | BtfFuncProto
  | BtfVar
  | BtfDatasec
  | BtfFloat
  | BtfDeclTag;
