/**
 * `bpfkit run FILE --prog NAME [--prog NAME2]... [--data HEX | --data-file F | --data-size N]
 * [--repeat N] [--engine wasm|ts]`: the programs run in order in one instance (maps, globals and
 * the heap carry over), like `bpftool prog run` with BPF_PROG_TEST_RUN. Exit 1 on a run-time fault.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Instance, RunResult } from '@bpfkit/vm';
import { CliError, EXIT_OK, EXIT_REJECTED, EXIT_USAGE } from '../errors.js';
import type { Out } from '../output.js';
import { readInput, sniff } from '../input.js';

export interface RunCliOptions {
  prog?: string[];
  data?: string;
  dataFile?: string;
  dataSize?: string;
  repeat?: string;
  engine?: string;
  verify?: boolean;
  after?: string[];
}

export interface RunJson {
  runs: { prog: string; retval: number; insns: number; durationNs: number }[];
  error?: { prog: string; insn: number; message: string; line: { file: string; line: number; text: string } | null };
}

/** Default packet when none is given: 64 zero bytes. */
export const DEFAULT_DATA_SIZE = 64;

function positiveInt(v: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new CliError(`${flag} must be a whole number, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) throw new CliError(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function packetFromOptions(opts: RunCliOptions): Uint8Array {
  const given = [opts.data !== undefined, opts.dataFile !== undefined, opts.dataSize !== undefined].filter(Boolean).length;
  if (given > 1) throw new CliError('give at most one of --data, --data-file, --data-size');
  if (opts.data !== undefined) {
    const t = opts.data.replace(/^0x/i, '').replace(/[\s:]/g, '');
    if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) throw new CliError(`--data must be hex bytes, got '${opts.data.slice(0, 40)}'`);
    return Uint8Array.from(Buffer.from(t, 'hex'));
  }
  if (opts.dataFile !== undefined) {
    try {
      return new Uint8Array(readFileSync(opts.dataFile));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CliError(`--data-file ${opts.dataFile}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'cannot read')}`);
    }
  }
  const size = positiveInt(opts.dataSize, '--data-size', 0, 1 << 24) ?? DEFAULT_DATA_SIZE;
  return new Uint8Array(size);
}

/** Loads FILE into an instance (lazily importing @bpfkit/vm); load errors become usage errors (exit 2). */
export async function instanceFor(file: string, opts: RunCliOptions): Promise<Instance> {
  const engine = opts.engine ?? 'wasm';
  if (engine !== 'wasm' && engine !== 'ts') throw new CliError(`--engine must be wasm or ts, got '${engine}'`);
  const bytes = readInput(file);
  if (sniff(bytes) !== 'elf') throw new CliError('not an ELF object (no ELF magic at offset 0)');
  const { loadInstance, LoadError } = await import('@bpfkit/vm');
  try {
    return await loadInstance(bytes, { engine, name: basename(file).split('.')[0] || 'obj', ...(opts.verify ? { verify: true } : {}) });
  } catch (e) {
    if (e instanceof LoadError) throw new CliError(e.message, EXIT_USAGE);
    throw e;
  }
}

export interface Runs {
  results: { prog: string; r: RunResult }[];
  /** Set when a run faulted (exit 1). */
  error?: RunJson['error'];
}

/**
 * `inst.run(prog, { data, repeat })`, in batches of about 50 ms when `onProgress` is given (for a
 * progress bar); the packet (or syscall ctx) each batch ends with is the next batch's input, and
 * `durationNs` is the average over all runs.
 */
export function runRepeated(inst: Instance, prog: string, data: Uint8Array, repeat: number, onProgress?: (done: number) => void): RunResult {
  if (!onProgress || repeat <= 1) return inst.run(prog, { data, repeat });
  let done = 0;
  let totalNs = 0;
  let batch = 1;
  let input = data;
  let last: RunResult | undefined;
  while (done < repeat) {
    const n = Math.min(batch, repeat - done);
    last = inst.run(prog, { data: input, repeat: n });
    totalNs += last.durationNs * n;
    done += n;
    input = last.data ?? last.ctx ?? input;
    onProgress(done);
    batch = Math.max(1, Math.min(10_000_000, Math.floor(50e6 / Math.max(1, last.durationNs))));
  }
  return { ...last!, durationNs: Math.round(totalNs / repeat) };
}

/** Runs `names` in order; stops at the first fault. Unknown programs and load errors are usage errors. */
export async function runPrograms(inst: Instance, names: readonly string[], data: Uint8Array, repeat: number, showProgress = false): Promise<Runs> {
  const { RunError, LoadError } = await import('@bpfkit/vm');
  const known = new Set(inst.programs.map((p) => p.name));
  for (const n of names) {
    if (!known.has(n)) throw new CliError(`no program named '${n}' (programs: ${[...known].join(', ') || 'none'})`);
  }
  const results: Runs['results'] = [];
  const { progress } = showProgress && repeat > 1 && process.stderr.isTTY ? await import('../progress.js') : { progress: undefined };
  for (const prog of names) {
    const bar = progress?.(`run ${prog}`, repeat, { detail: (d) => `${d.toLocaleString('en-US')}/${repeat.toLocaleString('en-US')} runs` });
    try {
      results.push({ prog, r: runRepeated(inst, prog, data, repeat, bar && ((d) => bar.update(d))) });
      bar?.done();
    } catch (e) {
      bar?.done();
      if (e instanceof RunError) {
        const l = e.line;
        return { results, error: { prog, insn: e.insn, message: e.message, line: l ? { file: l.file, line: l.line, text: l.text.trim() } : null } };
      }
      // rejected by the verifier: exit 1 like a fault; other load errors are bad input
      if (e instanceof LoadError) throw new CliError(e.message, e.code === 'REJECTED' ? EXIT_REJECTED : EXIT_USAGE);
      if (e instanceof RangeError) throw new CliError(e.message, EXIT_USAGE);
      throw e;
    }
  }
  return { results };
}

export async function runCommand(file: string, opts: RunCliOptions, out: Out, stderr: (s: string) => void): Promise<number> {
  if (!opts.prog || opts.prog.length === 0) throw new CliError('--prog NAME is required (repeat it to run several programs in order)');
  const data = packetFromOptions(opts);
  const repeat = positiveInt(opts.repeat, '--repeat', 1, 100_000_000) ?? 1;
  const inst = await instanceFor(file, opts);
  const { results, error } = await runPrograms(inst, opts.prog, data, repeat, true);
  const json: RunJson = {
    runs: results.map(({ prog, r }) => ({ prog, retval: r.retval, insns: r.insns, durationNs: r.durationNs })),
    ...(error ? { error } : {}),
  };
  if (out.json) out.writeJson(json);
  else {
    const many = opts.prog.length > 1;
    let s = '';
    for (const r of json.runs) s += `${many ? `${out.bold(r.prog)}: ` : ''}Return value: ${r.retval}, duration (average): ${r.durationNs}ns\n`;
    const printk = inst.printk;
    if (printk) s += out.dim(printk.endsWith('\n') ? printk : printk + '\n');
    out.write(s);
  }
  if (error) {
    stderr(`bpfkit: ${file}: ${error.message}\n`);
    return EXIT_REJECTED;
  }
  return EXIT_OK;
}
