/**
 * `bpfkit` command line: verbs are declared here, their work is loaded lazily
 * (a verb imports only what it needs, so start-up stays fast).
 */
import { Command, CommanderError, Option } from 'commander';
import { describeError, EXIT_OK, EXIT_USAGE } from './errors.js';
import { makeOut, wantColor, type Out } from './output.js';

export interface GlobalOpts {
  json?: boolean;
  color?: boolean;
}

export interface RunIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const defaultIo: RunIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

function outFor(cmd: Command, io: RunIo): Out {
  const g = cmd.optsWithGlobals() as GlobalOpts;
  return makeOut({ json: g.json, color: wantColor(g.color) }, io.stdout);
}

export function buildProgram(io: RunIo, setExit: (code: number) => void, setFile: (file: string) => void = () => {}): Command {
  const program = new Command('bpfkit');
  program
    .description('Read, verify and run BPF objects made by clang -target bpf — without a kernel.')
    .option('--json', 'print one JSON document on stdout (like bpftool -j)')
    .option('--no-color', 'never colour the output (NO_COLOR is honoured too)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} })
    .addHelpText(
      'after',
      `
Examples (from the repository root):
  bpfkit demo
  bpfkit verify fixtures/obj/graph_list_fail.bpf.o --prog list_obj_head_no_lock
  bpfkit run fixtures/obj/list_map.bpf.o --prog list_map_push --prog list_map_pop
  bpfkit map dump fixtures/obj/plain.bpf.o --after tc_count
  bpfkit graph fixtures/obj/rbtree.bpf.o --after rbtree_add_three --global .data.R
  bpfkit bench fixtures/obj/csum.bpf.o --prog csum --data-size 1500
  bpfkit object show fixtures/obj/list_map.bpf.o
  bpfkit disasm fixtures/obj/rbtree.bpf.o --linum
  bpfkit btf dump /sys/kernel/btf/vmlinux --format c > vmlinux.h
  bpfkit VERB --help    (every verb has its own examples)

Global options go before or after the verb: --json (one JSON document on stdout), --no-color.
Exit codes: 0 success, 1 rejected or faulted, 2 bad input or usage.`,
    );

  const btf = program
    .command('btf')
    .description('BTF of an object or a raw BTF blob')
    .addHelpText('after', '\nExample:\n  bpfkit btf dump fixtures/obj/list_map.bpf.o --format c');
  btf
    .command('dump')
    .description('print the BTF of FILE (an ELF object or a raw BTF blob such as /sys/kernel/btf/vmlinux)')
    .argument('<FILE>', 'ELF object or raw BTF file')
    .addOption(new Option('--format <format>', 'raw and c are byte-identical to bpftool; json is bpftool -j').choices(['raw', 'c', 'json']).default('raw'))
    .addHelpText(
      'after',
      `
Examples:
  bpfkit btf dump fixtures/obj/list_map.bpf.o
  bpfkit btf dump /sys/kernel/btf/vmlinux --format c > vmlinux.h
  bpfkit --json btf dump fixtures/obj/list_map.bpf.o`,
    )
    .action(async (file: string, opts: { format: 'raw' | 'c' | 'json' }, cmd: Command) => {
      setFile(file);
      const { btfDump } = await import('./commands/btf-dump.js');
      setExit(await btfDump(file, opts, outFor(cmd, io)));
    });

  const object = program
    .command('object')
    .description('the ELF object as libbpf reads it')
    .addHelpText('after', '\nExample:\n  bpfkit object show fixtures/obj/list_map.bpf.o');
  object
    .command('show')
    .description('programs, maps, global sections, externs and relocations of FILE')
    .argument('<FILE>', 'ELF object made by clang -target bpf')
    .addHelpText('after', '\nExamples:\n  bpfkit object show fixtures/obj/list_map.bpf.o\n  bpfkit --json object show fixtures/obj/list_map.bpf.o | jq .maps')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      setFile(file);
      const { objectShow } = await import('./commands/object-show.js');
      setExit(await objectShow(file, outFor(cmd, io)));
    });

  program
    .command('disasm')
    .description('instructions of each program in the kernel-log syntax')
    .argument('<FILE>', 'ELF object made by clang -target bpf')
    .option('--prog <NAME...>', 'only these programs (repeatable)')
    .option('--linum', 'print source lines from line_info')
    .addHelpText('after', '\nExample:\n  bpfkit disasm fixtures/obj/plain.bpf.o --prog xdp_pass --linum')
    .action(async (file: string, opts: { prog?: string[]; linum?: boolean }, cmd: Command) => {
      setFile(file);
      const { disasm } = await import('./commands/disasm.js');
      setExit(await disasm(file, opts, outFor(cmd, io)));
    });

  program
    .command('verify')
    .description('verify every program of FILE as Linux 6.18 would; exit 1 when any is rejected')
    .argument('<FILE>', 'ELF object made by clang -target bpf')
    .option('--prog <NAME...>', 'only these programs (repeatable)')
    .addOption(new Option('--log-level <LEVEL>', 'print the verifier log: 1 = the failing path, 2 = everything').choices(['0', '1', '2']))
    .option('--max-state-mb <MIB>', "cap on the memory of the verifier's kept states; past it a program is rejected with ENOMEM (default 512)")
    .addHelpText('after', '\nExamples:\n  bpfkit verify fixtures/obj/plain.bpf.o\n  bpfkit verify fixtures/obj/graph_list_fail.bpf.o --prog list_obj_head_no_lock --log-level 1\n  bpfkit --json verify fixtures/obj/graph_list_fail.bpf.o | jq \'.programs[] | select(.accepted | not)\'')
    .action(async (file: string, opts: { prog?: string[]; logLevel?: string; maxStateMb?: string }, cmd: Command) => {
      setFile(file);
      const { verifyCommand } = await import('./commands/verify.js');
      setExit(await verifyCommand(file, opts, outFor(cmd, io)));
    });

  const collect = (v: string, prev: string[]): string[] => [...prev, v];
  const dataOptions = (c: Command): Command =>
    c
      .option('--data <HEX>', 'packet bytes as hex (default: 64 zero bytes)')
      .option('--data-file <FILE>', 'packet bytes from a file')
      .option('--data-size <N>', 'a packet of N zero bytes')
      .addOption(new Option('--engine <ENGINE>', 'execution engine').choices(['wasm', 'ts']).default('wasm'))
      .option('--verify', 'verify the programs first; verified programs run without per-access checks');
  dataOptions(
    program
      .command('run')
      .description('run programs of FILE in order in one instance (state carries over), like bpftool prog run; exit 1 on a run-time fault')
      .argument('<FILE>', 'ELF object made by clang -target bpf')
      .option('--prog <NAME>', 'program to run (repeat for a sequence)', collect, [])
      .option('--repeat <N>', 'run each program N times; the duration is the average'),
  )
    .addHelpText('after', '\nExamples:\n  bpfkit run fixtures/obj/list_map.bpf.o --prog list_map_push --prog list_map_pop\n  bpfkit --json run fixtures/obj/csum.bpf.o --prog csum --data-size 1500 --repeat 100')
    .action(async (file: string, opts: Record<string, unknown>, cmd: Command) => {
      setFile(file);
      const { runCommand } = await import('./commands/run.js');
      setExit(await runCommand(file, opts, outFor(cmd, io), io.stderr));
    });

  const map = program
    .command('map')
    .description('maps of an object in a running instance')
    .addHelpText('after', '\nExample:\n  bpfkit map dump fixtures/obj/plain.bpf.o --after tc_count');
  dataOptions(
    map
      .command('dump')
      .description('every map and global data section of FILE (after running the --after programs), keys and values as hex')
      .argument('<FILE>', 'ELF object made by clang -target bpf')
      .option('--after <PROG>', 'run this program first (repeat for a sequence)', collect, []),
  )
    .addHelpText('after', '\nExample:\n  bpfkit map dump fixtures/obj/plain.bpf.o --after tc_count --after tc_count')
    .action(async (file: string, opts: Record<string, unknown>, cmd: Command) => {
      setFile(file);
      const { mapDumpCommand } = await import('./commands/map-dump.js');
      setExit(await mapDumpCommand(file, opts, outFor(cmd, io), io.stderr));
    });

  dataOptions(
    program
      .command('graph')
      .description('draw the lists and red-black trees in a map value or global section after running the --after programs')
      .argument('<FILE>', 'ELF object made by clang -target bpf')
      .option('--after <PROG[@HEX]>', 'run this program first (repeat for a sequence); @HEX: its own data (the ctx of a syscall program)', collect, [])
      .option('--map <NAME>', 'the map whose value holds the lists and trees')
      .option('--key <K>', 'key of that map value: a number or hex bytes (default 0)')
      .option('--global <SECTION>', 'a global data section instead (.bss, .data.R, ...)')
      .addOption(new Option('--format <FORMAT>', 'ascii (a terminal picture), dot (graphviz) or svg').choices(['ascii', 'dot', 'svg']).default('ascii')),
  )
    .addHelpText(
      'after',
      `
Examples:
  bpfkit graph fixtures/obj/rbtree.bpf.o --after rbtree_add_three --global .data.R
  bpfkit graph packages/cli/demo/sched.bpf.o --after sched_enqueue@2c010000000000000100000000000000 \\
    --after sched_enqueue@c8000000000000000200000000000000 --map rq --format svg > rq.svg
  bpfkit --json graph fixtures/obj/list_nested.bpf.o --after nested_push --map roots`,
    )
    .action(async (file: string, opts: Record<string, unknown>, cmd: Command) => {
      setFile(file);
      const { graphCommand } = await import('./commands/graph.js');
      setExit(await graphCommand(file, opts, outFor(cmd, io), io.stderr));
    });

  program
    .command('bench')
    .description('run one program over and over on each engine (verified mode when the verifier accepts it, else checked): M insns/s side by side')
    .argument('<FILE>', 'ELF object made by clang -target bpf')
    .option('--prog <NAME>', 'the program to measure', collect, [])
    .addOption(new Option('--engine <ENGINE>', 'execution engine, or all of them').choices(['wasm', 'ts', 'all']).default('all'))
    .option('--data <HEX>', 'packet bytes as hex (default: 64 zero bytes)')
    .option('--data-file <FILE>', 'packet bytes from a file')
    .option('--data-size <N>', 'a packet of N zero bytes')
    .option('--time <MS>', 'measuring time per engine in milliseconds', '1000')
    .addHelpText(
      'after',
      `
Examples:
  bpfkit bench fixtures/obj/csum.bpf.o --prog csum --data-size 1500
  bpfkit --json bench fixtures/obj/arith.bpf.o --prog arith --engine wasm --time 200`,
    )
    .action(async (file: string, opts: Record<string, unknown>, cmd: Command) => {
      setFile(file);
      const { benchCommand } = await import('./commands/bench.js');
      setExit(await benchCommand(file, opts, outFor(cmd, io), io.stderr));
    });

  program
    .command('demo')
    .description('the bundled deadline scheduler (demo/sched.bpf.c): verify it, run 100,000 events, show throughput and the final tree')
    .option('--events <N>', 'number of enqueue/dispatch/reap events', '100000')
    .addOption(new Option('--engine <ENGINE>', 'execution engine').choices(['wasm', 'ts']).default('wasm'))
    .option('--seed <S>', 'seed of the event mix (default: the kernel recording\'s, 2654435769)')
    .addHelpText('after', '\nExamples:\n  bpfkit demo\n  bpfkit demo --events 20000 --engine ts --seed 7\n  bpfkit --json demo --events 1000 | jq .runqueue')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { demoCommand } = await import('./commands/demo.js');
      setExit(await demoCommand(opts, outFor(cmd, io), io.stderr));
    });

  return program;
}

/** Runs the CLI; resolves to the exit code (never throws). */
export async function main(argv: string[], io: RunIo = defaultIo): Promise<number> {
  let exitCode = EXIT_OK;
  let file: string | undefined;
  const program = buildProgram(
    io,
    (c) => (exitCode = c),
    (f) => (file = f),
  );
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_OK;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      // commander's own words, one line, plus where to look
      const msg = e.message.replace(/^error: /, '');
      io.stderr(`bpfkit: ${msg} (see bpfkit --help)\n`);
      return EXIT_USAGE;
    }
    const { line, exitCode: code } = describeError(e, file);
    io.stderr(line + '\n');
    return code;
  }
}
