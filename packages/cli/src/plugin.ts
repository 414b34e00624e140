/**
 * `bpfkit-conformance-plugin [MEMHEX] [--engine wasm|ts]`: the bpf_conformance plugin protocol.
 * Program bytes as hex on stdin, the input memory as hex in the first argument; prints r0 in hex
 * and exits 0, or exits 1 with one line on stderr (bad input, a fault).
 */
export interface PluginIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = 'usage: bpfkit-conformance-plugin [MEMHEX] [--engine wasm|ts] < program-hex';

function parseHex(s: string, what: string): Uint8Array {
  const t = s.replace(/0x/gi, '').replace(/[\s,]/g, '');
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) throw new Error(`${what} is not hex bytes`);
  return Uint8Array.from(Buffer.from(t, 'hex'));
}

export interface PluginArgs {
  mem?: Uint8Array;
  engine: 'wasm' | 'ts';
}

export function parsePluginArgs(argv: readonly string[]): PluginArgs {
  let engine: 'wasm' | 'ts' = 'wasm';
  let mem: Uint8Array | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--engine' || a.startsWith('--engine=')) {
      const v = a === '--engine' ? argv[++i] : a.slice('--engine='.length);
      if (v !== 'wasm' && v !== 'ts') throw new Error(`--engine must be wasm or ts, got '${v ?? ''}'`);
      engine = v;
    } else if (a === '--elf') {
      throw new Error('--elf is not supported: give the program as hex bytes');
    } else if (a === '-h' || a === '--help') {
      throw new Error(USAGE);
    } else if (a.startsWith('--')) {
      throw new Error(`unknown option ${a}`);
    } else if (mem === undefined) {
      mem = parseHex(a, 'the memory argument');
    } else {
      throw new Error(`unexpected argument '${a.slice(0, 20)}'`);
    }
  }
  return { engine, ...(mem ? { mem } : {}) };
}

/** One plugin invocation; resolves to the exit code. */
export async function pluginMain(argv: readonly string[], stdin: string, io: PluginIo): Promise<number> {
  try {
    const args = parsePluginArgs(argv);
    const program = parseHex(stdin, 'the program on stdin');
    if (program.byteLength === 0) throw new Error('no program on stdin');
    const { runRaw } = await import('@bpfkit/vm');
    const r = await runRaw(program, { engine: args.engine, ...(args.mem ? { mem: args.mem } : {}) });
    io.stdout(`0x${r.r0.toString(16)}\n`);
    return 0;
  } catch (e) {
    io.stderr(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
