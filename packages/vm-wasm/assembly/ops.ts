// Internal opcodes of the pre-decoded program (16 bytes per slot: op, dst*8, src*8, -, i32 off|target, i64 imm).

// 0 is never used (a zero opcode would compile to a separate test). ALU: 1 + index*4 + form (0 = 64 K, 1 = 64 X, 2 = 32 K, 3 = 32 X)
// @ts-ignore: decorator
@inline export const A_ADD: i32 = 1;
// @ts-ignore: decorator
@inline export const A_SUB: i32 = 5;
// @ts-ignore: decorator
@inline export const A_MUL: i32 = 9;
// @ts-ignore: decorator
@inline export const A_DIV: i32 = 13;
// @ts-ignore: decorator
@inline export const A_SDIV: i32 = 17;
// @ts-ignore: decorator
@inline export const A_OR: i32 = 21;
// @ts-ignore: decorator
@inline export const A_AND: i32 = 25;
// @ts-ignore: decorator
@inline export const A_LSH: i32 = 29;
// @ts-ignore: decorator
@inline export const A_RSH: i32 = 33;
// @ts-ignore: decorator
@inline export const A_NEG: i32 = 37;
// @ts-ignore: decorator
@inline export const A_MOD: i32 = 41;
// @ts-ignore: decorator
@inline export const A_SMOD: i32 = 45;
// @ts-ignore: decorator
@inline export const A_XOR: i32 = 49;
// @ts-ignore: decorator
@inline export const A_MOV: i32 = 53;
// @ts-ignore: decorator
@inline export const A_ARSH: i32 = 57;
// @ts-ignore: decorator
@inline export const MOVSX64_8: i32 = 61;
// @ts-ignore: decorator
@inline export const MOVSX64_16: i32 = 62;
// @ts-ignore: decorator
@inline export const MOVSX64_32: i32 = 63;
// @ts-ignore: decorator
@inline export const MOVSX32_8: i32 = 64;
// @ts-ignore: decorator
@inline export const MOVSX32_16: i32 = 65;
// @ts-ignore: decorator
@inline export const LE16: i32 = 66;
// @ts-ignore: decorator
@inline export const LE32: i32 = 67;
// @ts-ignore: decorator
@inline export const NOP: i32 = 68;
// @ts-ignore: decorator
@inline export const BSWAP16: i32 = 69;
// @ts-ignore: decorator
@inline export const BSWAP32: i32 = 70;
// @ts-ignore: decorator
@inline export const BSWAP64: i32 = 71;
// @ts-ignore: decorator
@inline export const LDDW: i32 = 72;
// conditional jumps: J_BASE + index*4 + form
// @ts-ignore: decorator
@inline export const J_BASE: i32 = 73;
// @ts-ignore: decorator
@inline export const J_EQ: i32 = 73;
// @ts-ignore: decorator
@inline export const J_GT: i32 = 77;
// @ts-ignore: decorator
@inline export const J_GE: i32 = 81;
// @ts-ignore: decorator
@inline export const J_SET: i32 = 85;
// @ts-ignore: decorator
@inline export const J_NE: i32 = 89;
// @ts-ignore: decorator
@inline export const J_SGT: i32 = 93;
// @ts-ignore: decorator
@inline export const J_SGE: i32 = 97;
// @ts-ignore: decorator
@inline export const J_LT: i32 = 101;
// @ts-ignore: decorator
@inline export const J_LE: i32 = 105;
// @ts-ignore: decorator
@inline export const J_SLT: i32 = 109;
// @ts-ignore: decorator
@inline export const J_SLE: i32 = 113;
// @ts-ignore: decorator
@inline export const JA: i32 = 117;
// @ts-ignore: decorator
@inline export const CALL_HELPER: i32 = 118;
// @ts-ignore: decorator
@inline export const CALL_LOCAL: i32 = 119;
// @ts-ignore: decorator
@inline export const CALL_KFUNC: i32 = 120;
// @ts-ignore: decorator
@inline export const CALLX: i32 = 121;
// @ts-ignore: decorator
@inline export const EXIT: i32 = 122;
// @ts-ignore: decorator
@inline export const MAY_GOTO: i32 = 123;
// memory, verified form; checked form = + CHK
// @ts-ignore: decorator
@inline export const LDXB: i32 = 124;
// @ts-ignore: decorator
@inline export const LDXH: i32 = 125;
// @ts-ignore: decorator
@inline export const LDXW: i32 = 126;
// @ts-ignore: decorator
@inline export const LDXDW: i32 = 127;
// @ts-ignore: decorator
@inline export const LDXSB: i32 = 128;
// @ts-ignore: decorator
@inline export const LDXSH: i32 = 129;
// @ts-ignore: decorator
@inline export const LDXSW: i32 = 130;
// @ts-ignore: decorator
@inline export const STB: i32 = 131;
// @ts-ignore: decorator
@inline export const STH: i32 = 132;
// @ts-ignore: decorator
@inline export const STW: i32 = 133;
// @ts-ignore: decorator
@inline export const STDW: i32 = 134;
// @ts-ignore: decorator
@inline export const STXB: i32 = 135;
// @ts-ignore: decorator
@inline export const STXH: i32 = 136;
// @ts-ignore: decorator
@inline export const STXW: i32 = 137;
// @ts-ignore: decorator
@inline export const STXDW: i32 = 138;
// @ts-ignore: decorator
@inline export const CHK: i32 = 15;
// @ts-ignore: decorator
@inline export const C_LDXB: i32 = 139;
// @ts-ignore: decorator
@inline export const C_LDXH: i32 = 140;
// @ts-ignore: decorator
@inline export const C_LDXW: i32 = 141;
// @ts-ignore: decorator
@inline export const C_LDXDW: i32 = 142;
// @ts-ignore: decorator
@inline export const C_LDXSB: i32 = 143;
// @ts-ignore: decorator
@inline export const C_LDXSH: i32 = 144;
// @ts-ignore: decorator
@inline export const C_LDXSW: i32 = 145;
// @ts-ignore: decorator
@inline export const C_STB: i32 = 146;
// @ts-ignore: decorator
@inline export const C_STH: i32 = 147;
// @ts-ignore: decorator
@inline export const C_STW: i32 = 148;
// @ts-ignore: decorator
@inline export const C_STDW: i32 = 149;
// @ts-ignore: decorator
@inline export const C_STXB: i32 = 150;
// @ts-ignore: decorator
@inline export const C_STXH: i32 = 151;
// @ts-ignore: decorator
@inline export const C_STXW: i32 = 152;
// @ts-ignore: decorator
@inline export const C_STXDW: i32 = 153;
// @ts-ignore: decorator
@inline export const ATOMIC: i32 = 154;
// @ts-ignore: decorator
@inline export const BAD_INSN: i32 = 155;
// @ts-ignore: decorator
@inline export const BAD_JUMP: i32 = 156;
// @ts-ignore: decorator
@inline export const FELL_OFF: i32 = 157;
// @ts-ignore: decorator
@inline export const LDDW_HI: i32 = 158;
// bpf_rbtree_add (kfunc id 12) run by the interpreter itself: its `less` calls are frames of the same loop;
// RB_ADD_CONT is the op of the static slot a `less` frame returns to
// @ts-ignore: decorator
@inline export const RB_ADD: i32 = 159;
// @ts-ignore: decorator
@inline export const RB_ADD_CONT: i32 = 190;
// `rD = K1; if <cond> goto +1; rD = K2` (clang's code for `return a < b;`) as one branch-free op: SETCC + 0 for
// 64-bit movs, + 1 for 32-bit movs; the jump and the second mov keep their own slots (jumps into them stay valid)
// @ts-ignore: decorator
@inline export const SETCC: i32 = 191;
// fused `mov64 X` + 64-bit ALU op (K or X form): FUSED_BASE + index*2 + form
// @ts-ignore: decorator
@inline export const FUSED_BASE: i32 = 160;
