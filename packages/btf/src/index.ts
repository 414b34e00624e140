export * from './types.js';
export { Btf, type BtfHeader } from './btf.js';
export { BtfError, type BtfErrorCode, type BtfErrorLocation } from './errors.js';
export { StringTable } from './strings.js';
export {
  parseBtf, parseBtfLenient, type ParseBtfOptions, type ParseStop, BTF_MAGIC, BTF_HEADER_SIZE, BTF_MAX_NAME_OFFSET,
} from './parse.js';
export { dumpRaw, dumpRawType, writeRawType, intEncodingName, funcLinkageName, varLinkageName, bpftoolKindName } from './dump-raw.js';
export { dumpJson, dumpJsonType, writeJsonType } from './dump-json.js';
export { ByteWriter } from './byte-writer.js';
export {
  MAX_RESOLVE_DEPTH, skipModifiers, skipModsAndTypedefs, resolveType, resolveSize, sizeOf, trySizeOf, alignOf,
  findMember, memberOffset, findByName, findAllByName, declTags, pointerTypeTags, typeLabel,
  type MemberLocation,
} from './query.js';
export { BtfBuilder, type BtfTypeSpec, type BtfBuildOptions } from './testing/builder.js';
export {
  validateBtf, validateBtfBytes, type BtfIssue, type BtfValidationResult, type ValidateOptions,
  type ValidationMode, type ValidationStage,
} from './validate.js';
export { checkBtfHeader, BTF_MAX_SIZE } from './validate-header.js';
export { kernelTypeLine, kernelTypeDetails } from './validate-log.js';
export {
  isValidIdentifier, isValidSectionName, isValidIdentifierOff, isValidSectionOff, KSYM_NAME_LEN,
} from './validate-names.js';
export {
  parseBtfExt, CORE_RELO_KINDS, type BtfExt, type BtfExtHeader, type BtfExtSection, type BtfFuncInfo,
  type BtfLineInfo, type BtfCoreRelo,
} from './ext.js';
export * from './c-dump/index.js';
export { BtfRecordError, type KernelErrno } from './errors.js';
export * from './special-fields.js';
export { parseStructMetas, checkAndFixupFields, checkOwnershipGraph, type BtfStructMeta } from './ownership.js';
