export * from './opcodes.js';
export * from './errors.js';
export * from './insn.js';
export { decode, encode, hexToBytes, bytesToHex, type CodecOptions } from './codec.js';
export { HELPER_NAMES, BPF_FUNC_MAX_ID, helperName, helperId } from './helpers.js';
export {
  formatInsn,
  formatInsnWithCode,
  formatProgram,
  symbolicPseudo,
  isBugText,
  hex64,
  ALU_OP_TEXT,
  JMP_OP_TEXT,
  SIZE_TEXT,
  SIZE_SX_TEXT,
  type FormatOptions,
  type FormatProgramOptions,
} from './format.js';
export { assemble } from './asm.js';
export {
  validateProgram,
  upfrontCheck,
  checkInsn,
  checkConstOperand,
  isCanonical,
  isKnownOpcode,
  type IsaIssue,
} from './validate.js';
export { PROG_TYPE_NAMES, MAP_TYPE_NAMES, type ProgTypeName, type MapTypeName } from './uapi.js';
