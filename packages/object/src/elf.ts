/** The ELF layer: a checked, plain-data reader for BPF relocatable objects. */
export * from './elf/constants.js';
export type * from './elf/types.js';
export { parseElf } from './elf/parse.js';
