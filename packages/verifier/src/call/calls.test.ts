import { assemble } from '@bpfkit/isa';
import { linux618 } from '@bpfkit/platform';
import { describe, expect, test } from 'vitest';
import { checkProgram } from '../cfg.js';
import type { Env } from '../env.js';
import { Reject } from '../errors.js';
import { toSlots } from '../program.js';
import { verify } from '../verify.js';
import { checkMaxStackDepth } from './stack-depth.js';

const run = (src: string, progType = 'xdp', license = 'GPL') => verify({ insns: assemble(src), progType, license }, { logLevel: 1 });
const firstError = (src: string, progType = 'xdp', license = 'GPL') => {
  const r = run(src, progType, license);
  return r.accepted ? 'accept' : r.error!.message;
};

describe('helper calls', () => {
  test('R0 is an unknown scalar; R1-R5 become unreadable', () => {
    expect(firstError('call bpf_ktime_get_ns#5\nr0 += 1\nexit')).toBe('accept');
    expect(firstError('r1 = 1\ncall bpf_ktime_get_ns#5\nr0 = r1\nexit')).toBe('R1 !read_ok');
  });

  test('callee-saved registers survive a helper call', () => {
    expect(firstError('r6 = 7\ncall bpf_get_prandom_u32#7\nr0 = r6\nexit')).toBe('accept');
  });

  test('the call line is annotated with R0 only', () => {
    const r = run('r1 = 1\ncall bpf_get_prandom_u32#7\nr0 = r1\nexit');
    expect(r.log).toMatch(/\n1: \(85\) call bpf_get_prandom_u32#7 +; R0=scalar\(\)\n/);
  });

  test('get_smp_processor_id is bounded by nr_cpu_ids', () => {
    const r = run('call bpf_get_smp_processor_id#8\nr1 = r0\nr0 = 0\nr2 = 1\nexit');
    expect(r.accepted).toBe(true);
    const bad = run('call bpf_get_smp_processor_id#8\nr1 = r0\nr1 = r2\nexit');
    expect(bad.log).toContain('R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=1,var_off=(0x0; 0x1))');
  });

  test('invalid and unavailable helpers', () => {
    expect(firstError('call 10000\nexit')).toBe('invalid func unknown#10000');
    expect(firstError('call bpf_skb_load_bytes#26\nexit')).toBe('program of this type cannot use helper bpf_skb_load_bytes#26');
  });

  test('GPL-only helpers need a GPL-compatible license', () => {
    const src = 'r1 = r10\nr1 += -8\nr2 = 8\ncall bpf_trace_printk#6\nr0 = 0\nexit';
    expect(firstError(src, 'xdp', 'Proprietary')).toBe('cannot call GPL-restricted function from non-GPL compatible program');
    expect(firstError('call bpf_ktime_get_ns#5\nexit', 'xdp', 'Proprietary')).toBe('accept');
  });

  test('argument type mismatches list every compatible type', () => {
    expect(firstError('r1 = r10\ncall bpf_skb_load_bytes#26\nexit', 'tc')).toBe('R1 type=fp expected=ctx');
    expect(firstError('r1 += 4\ncall bpf_skb_load_bytes#26\nexit', 'tc')).toBe('dereference of modified ctx ptr R1 off=4 disallowed');
    expect(firstError('r2 = 0\nr3 = 5\ncall bpf_skb_load_bytes#26\nexit', 'tc')).toBe(
      'R3 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_',
    );
    expect(firstError('r1 = 0\ncall bpf_map_lookup_elem#1\nexit')).toBe('R1 type=scalar expected=map_ptr');
  });

  test('size arguments: negative, zero, unbounded', () => {
    const pre = 'r2 = 0\nr3 = r10\nr3 += -8\n';
    expect(firstError(pre + 'r4 = -1\ncall bpf_skb_load_bytes#26\nexit', 'tc')).toBe(
      "R4 min value is negative, either use unsigned or 'var &= const'",
    );
    expect(firstError(pre + 'r4 = 0\ncall bpf_skb_load_bytes#26\nexit', 'tc')).toBe('R4 invalid zero-sized read: u64=[0,0]');
    expect(firstError('r6 = r1\ncall bpf_get_prandom_u32#7\nr4 = r0\nr1 = r6\n' + pre + 'call bpf_skb_load_bytes#26\nexit', 'tc')).toBe(
      "R4 min value is negative, either use unsigned or 'var &= const'",
    );
  });

  test('reading an undeclared argument register is not a thing: only declared args are read', () => {
    expect(firstError('call bpf_ktime_get_ns#5\nexit')).toBe('accept');
    expect(firstError('call bpf_map_lookup_elem#1\nexit')).toBe('R1 type=ctx expected=map_ptr');
    expect(firstError('call bpf_ktime_get_ns#5\ncall bpf_map_lookup_elem#1\nexit')).toBe('R1 !read_ok');
  });
});

describe('bpf-to-bpf calls', () => {
  const call = (body: string, sub: string) => `${body}\nsub:\n${sub}`;

  test('R0 comes back, R1-R5 are arguments, R6-R9 callee-saved', () => {
    expect(firstError(call('r1 = 1\nr6 = 2\ncall sub\nr0 += r6\nexit', 'r0 = r1\nr0 += 1\nexit'))).toBe('accept');
    expect(firstError(call('r6 = 2\ncall sub\nexit', 'r0 = r6\nexit'))).toBe('R6 !read_ok');
    expect(firstError(call('r1 = 2\ncall sub\nr0 = r1\nexit', 'r0 = 0\nexit'))).toBe('R1 !read_ok');
  });

  test('a stack pointer cannot be returned', () => {
    expect(firstError(call('r1 = r10\ncall sub\nr0 = 0\nexit', 'r0 = r1\nexit'))).toBe('cannot return stack pointer to the caller');
    expect(firstError(call('call sub\nr0 = 0\nexit', 'r0 = r10\nexit'))).toBe('cannot return stack pointer to the caller');
  });

  test('returning ctx is fine; an uninitialised R0 travels back', () => {
    expect(firstError(call('call sub\nr0 = 0\nexit', 'r0 = r1\nexit'))).toBe('accept');
    expect(firstError(call('call sub\nr0 = 0\nexit', 'exit'))).toBe('accept');
    expect(firstError(call('call sub\nexit', 'exit'))).toBe('R0 !read_ok');
  });

  test('log lines around the call and the return (Linux 6.18)', () => {
    const r = run(call('r1 = 1\nr6 = 2\ncall sub\nr0 = r6\nr1 = r2\nexit', 'r0 = r1\nr2 = 5\nexit'));
    expect(r.log).toContain(
      [
        '2: (85) call pc+3',
        'caller:',
        ' R6=2 R10=fp0',
        'callee:',
        ' frame1: R1=1 R10=fp0',
        '6: frame1: R1=1 R10=fp0',
        '6: (bf) r0 = r1                       ; frame1: R0=1 R1=1',
        '7: (b7) r2 = 5                        ; frame1: R2=5',
        '8: (95) exit',
        'returning from callee:',
        ' frame1: R0=1 R1=1 R2=5 R10=fp0',
        'to caller at 3:',
        ' R0=1 R6=2 R10=fp0',
        '3: (bf) r0 = r6                       ; R0=2 R6=2',
        '4: (bf) r1 = r2',
        'R2 !read_ok',
      ].join('\n'),
    );
  });

  test('eight frames are allowed, nine are too deep', () => {
    const chain = (n: number) => {
      let s = 'call f1\nr0 = 0\nexit\n';
      for (let k = 1; k < n; k++) s += `f${k}:\n${k + 1 < n ? `call f${k + 1}\n` : ''}r0 = 0\nexit\n`;
      return s;
    };
    expect(firstError(chain(8))).toBe('accept');
    expect(firstError(chain(9))).toBe('the call stack of 9 frames is too deep');
  });

  test('a kfunc call is refused', () => {
    const r = verify({ insns: assemble('call kfunc#1234\nr0 = 0\nexit'), progType: 'xdp' });
    expect(r.error?.message).toBe('kernel btf_id 1234 is not a function');
  });
});

describe('combined stack size', () => {
  const envFor = (src: string, depths: number[]): Env => {
    const prog = toSlots(assemble(src));
    const cfg = checkProgram(prog, []);
    cfg.subprogs.forEach((s, k) => (s.stackDepth = depths[k] ?? 0));
    return { prog, cfg, platform: linux618 } as unknown as Env;
  };
  const src = 'call a\nr0 = 0\nexit\na:\ncall b\nr0 = 0\nexit\nb:\nr0 = 0\nexit';

  test('each frame is rounded up to 16 bytes and summed along the call chain', () => {
    expect(checkMaxStackDepth(envFor(src, [0, 250, 250]))).toBe(512);
    try {
      checkMaxStackDepth(envFor(src, [0, 304, 304]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Reject);
      expect((e as Reject).lines[0]).toBe('combined stack size of 3 calls is 608. Too large');
    }
    expect(() => checkMaxStackDepth(envFor(src, [8, 250, 250]))).toThrow('combined stack size of 3 calls is 528. Too large');
  });

  test('sibling calls do not add up', () => {
    const sib = 'call a\ncall b\nr0 = 0\nexit\na:\nr0 = 0\nexit\nb:\nr0 = 0\nexit';
    expect(checkMaxStackDepth(envFor(sib, [16, 400, 496]))).toBe(512);
  });
});
