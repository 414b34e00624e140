/**
 * Errors of the runtime host. `LoadError`: the object cannot be turned into an instance
 * (bad relocation, unknown map type, BTF record error, rejected by the verifier).
 * `RunError`: a run ended with a fault; it names the program, the instruction (and its
 * source line when the object has line_info) and the helper or kfunc involved.
 */
import type { FaultCode } from '@bpfkit/vm-wasm';

export interface LoadErrorLocation {
  readonly program?: string;
  readonly insn?: number;
  readonly map?: string;
  readonly section?: string;
}

export type LoadErrorCode = 'BAD_OBJECT' | 'BAD_RELOCATION' | 'BAD_MAP' | 'BAD_BTF' | 'REJECTED' | 'NO_PROGRAM' | 'CORE';

export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(
    readonly code: LoadErrorCode,
    message: string,
    readonly location: LoadErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SourceLine {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly text: string;
}

export const FAULT_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1: 'bad memory access',
  2: 'instruction budget exhausted',
  3: 'bad call',
  4: 'bad instruction',
  5: 'division fault',
  6: 'call stack too deep',
  7: 'spin lock misuse',
  8: 'bad jump',
});

export class RunError extends Error {
  override readonly name = 'RunError';
  constructor(
    message: string,
    readonly program: string,
    readonly code: FaultCode,
    /** Instruction (slot) index in the linked program. */
    readonly insn: number,
    readonly details: { readonly addr?: number; readonly call?: string; readonly line?: SourceLine } = {},
  ) {
    super(message);
  }
  get line(): SourceLine | undefined {
    return this.details.line;
  }
  get call(): string | undefined {
    return this.details.call;
  }
}
