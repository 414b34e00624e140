import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { loadInstance } from '@bpfkit/vm';

/** struct sched_args { __u64 deadline; __u32 pid; __u32 cpu; }: the ctx of the syscall programs */
function args(deadline: number, pid: number, cpu = 0): Uint8Array {
  const b = new DataView(new ArrayBuffer(16));
  b.setBigUint64(0, BigInt(deadline), true);
  b.setUint32(8, pid, true);
  b.setUint32(12, cpu, true);
  return new Uint8Array(b.buffer);
}

test('the scheduler dispatches the earliest deadline', async () => {
  const vm = await loadInstance(readFileSync('packages/cli/demo/sched.bpf.o'), { verify: true });
  expect(vm.verify('sched_enqueue').accepted).toBe(true);

  for (const [deadline, pid] of [[300, 1], [100, 2], [200, 3]]) {
    expect(vm.run('sched_enqueue', { ctx: args(deadline!, pid!) }).retval).toBe(0);
  }
  const [tree] = vm.trees<{ deadline: number; pid: number }>({ map: 'rq' });
  expect(tree!.elements.map((t) => t.deadline)).toEqual([100, 200, 300]);

  // sched_dispatch returns the pid it moved into cpus[1].curr (bpf_kptr_xchg)
  expect(vm.run('sched_dispatch', { ctx: args(0, 0, 1) }).retval).toBe(2);
  expect(vm.map('cpus').lookupValue(1)).toMatchObject({ switches: 1, curr: { value: { pid: 2 } } });
  expect(vm.lists({ map: 'rq' })[0]!.elements.map((t) => t.pid)).toEqual([1, 2, 3]); // the FIFO keeps all three
  expect(vm.heap().objects).toBe(3);
});
