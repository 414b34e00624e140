// Whole-process figures: `bpfkit` against bpftool on the same input (cold process each run).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Bench } from 'tinybench';

// the installed command: runs the esbuild bundle (dist-bundle/) when it is fresh
const BIN = new URL('../packages/cli/bin/bpfkit.js', import.meta.url).pathname;
const UNBUNDLED = new URL('../packages/cli/dist/bin/bpfkit.js', import.meta.url).pathname;
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
};
const haveBpftool = (() => {
  try {
    execFileSync('bpftool', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export default async function () {
  const bench = new Bench({ name: 'cli (whole process)', iterations: 15, time: 0, warmupIterations: 2 });
  const obj = new URL('../fixtures/obj/rbtree.bpf.o', import.meta.url).pathname;
  bench.add('bpfkit object show rbtree.bpf.o', () => run(process.execPath, [BIN, 'object', 'show', obj]));
  bench.add('node -e 0 (start-up floor)', () => run(process.execPath, ['-e', '0']));
  // cold start of a small verify (issue 6: median ≤ 0.15 s whole process)
  const plain = new URL('../fixtures/obj/plain.bpf.o', import.meta.url).pathname;
  bench.add('bpfkit verify plain.bpf.o (cold start)', () => run(process.execPath, [BIN, 'verify', plain]));
  bench.add('bpfkit verify plain.bpf.o --log-level 0 (commander + ESM bundle, no fast path)', () => run(process.execPath, [BIN, 'verify', plain, '--log-level', '0']));
  bench.add('bpfkit verify plain.bpf.o (tsc output, not bundled)', () => run(process.execPath, [UNBUNDLED, 'verify', plain]));
  const vmlinux = '/sys/kernel/btf/vmlinux';
  if (existsSync(vmlinux)) {
    for (const format of ['raw', 'c']) {
      bench.add(`bpfkit btf dump vmlinux --format ${format}`, () => run(process.execPath, [BIN, 'btf', 'dump', vmlinux, '--format', format]));
      if (haveBpftool) bench.add(`bpftool btf dump file vmlinux${format === 'c' ? ' format c' : ''}`, () => run('bpftool', ['btf', 'dump', 'file', vmlinux, ...(format === 'c' ? ['format', 'c'] : [])]));
    }
  }
  return bench;
}

/** The medians of the whole-process runs, in seconds (the figure the start-up budget is about). */
export function after(bench) {
  for (const t of bench.tasks) {
    const med = t.result?.latency?.p50;
    if (med !== undefined) console.log(`${t.name}: median ${(med / 1000).toFixed(3)} s`);
  }
}
