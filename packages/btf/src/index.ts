export * from './types.js';
export { Btf, type BtfHeader } from './btf.js';
export { BtfError, type BtfErrorCode, type BtfErrorLocation } from './errors.js';
export { StringTable } from './strings.js';
export { parseBtf, type ParseBtfOptions, BTF_MAGIC, BTF_HEADER_SIZE, BTF_MAX_NAME_OFFSET } from './parse.js';
