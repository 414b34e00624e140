/**
 * One interface for both execution engines (docs/runtime-contract.md). The host (`Instance`) lays
 * the program out in core memory and hands the engine a `ProgramImage`; the engine runs it from an
 * entry pc with r1 set and returns r0 and the number of executed instructions, or throws `RunFault`.
 */
import type { Core, FaultCode } from '@bpfkit/vm-wasm';

export type EngineName = 'wasm' | 'ts';

/** A relocated program in core memory (see the contract's "Program image"). */
export interface ProgramImage {
  readonly name: string;
  /** The relocated 8-byte slots, little-endian (the same bytes as core memory at `textAddr`). */
  readonly text: Uint8Array;
  readonly textAddr: number;
  readonly slots: number;
  /** Helper and kfunc names by id, for fault messages. */
  readonly describeCall?: (src: number, imm: number) => string;
}

export interface RunRequest {
  readonly r1: bigint;
  /**
   * r2..r5 at entry (missing = 0). BPF programs get only r1; conventions such as bpf_conformance pass
   * more (r2 = memory length). The wasm engine takes r2 only (core.run): non-zero r3..r5 are refused.
   */
  readonly args?: readonly bigint[];
  /** Validate every access (unverified programs). */
  readonly checked: boolean;
  /** Instruction budget: past it the run ends with a Budget fault. */
  readonly budget: bigint;
}

export interface EngineResult {
  readonly r0: bigint;
  readonly insns: number;
}

/** A run-time fault: names the instruction and what went wrong. */
export class RunFault extends Error {
  constructor(
    readonly code: FaultCode,
    readonly pc: number,
    message: string,
    readonly addr?: number,
  ) {
    super(message);
    this.name = 'RunFault';
  }
}

/** An engine prepared for one program (pre-decoding happens once). */
export interface PreparedProgram {
  run(req: RunRequest): EngineResult;
}

export interface Engine {
  readonly name: EngineName;
  prepare(core: Core, image: ProgramImage): PreparedProgram;
}
