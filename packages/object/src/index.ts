export * from './errors.js';
export * from './elf.js';
