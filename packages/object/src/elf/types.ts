/** Plain-data view of an ELF64 BPF relocatable object. */

export interface ElfHeader {
  readonly littleEndian: boolean;
  readonly osabi: number;
  readonly type: number;
  readonly machine: number;
  readonly version: number;
  readonly flags: number;
  readonly shoff: number;
  readonly shnum: number;
  readonly shstrndx: number;
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly nameOff: number;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  /** File offset of the data. */
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
  /** Section bytes (empty for NOBITS / NULL). A view into the input, do not mutate. */
  readonly data: Uint8Array;
}

export interface ElfSymbol {
  readonly index: number;
  readonly name: string;
  readonly nameOff: number;
  /** STB_* */
  readonly bind: number;
  /** STT_* */
  readonly type: number;
  /** STV_* (st_other & 3) */
  readonly visibility: number;
  readonly other: number;
  readonly shndx: number;
  readonly value: number;
  readonly size: number;
}

export interface ElfRelocation {
  /** Byte offset inside the target section. */
  readonly offset: number;
  readonly symbol: number;
  readonly type: number;
}

export interface ElfRelSection {
  /** The `.rel*` section itself. */
  readonly section: ElfSection;
  /** Index of the section the relocations apply to (`sh_info`). */
  readonly target: number;
  readonly relocations: readonly ElfRelocation[];
}

export interface ElfFile {
  readonly header: ElfHeader;
  readonly sections: readonly ElfSection[];
  /** Index of `.symtab` (0 when absent). */
  readonly symtabIndex: number;
  readonly symbols: readonly ElfSymbol[];
  /** REL sections in section-index order. */
  readonly relSections: readonly ElfRelSection[];
}
