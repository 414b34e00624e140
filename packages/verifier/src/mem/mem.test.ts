/** Loads, stores, atomics, ld_imm64 and LD_ABS through the whole verifier. */
import { assemble } from '@bpfkit/isa';
import { describe, expect, test } from 'vitest';
import type { VerifierMap, VerifyInput } from '../types.js';
import { verify } from '../verify.js';

const arr = (over: Partial<VerifierMap> = {}): VerifierMap => ({
  index: 0, name: 'arr', type: 2, keySize: 4, valueSize: 16, maxEntries: 1, flags: 0, frozen: false, btfValueTypeId: 0, ...over,
});

function run(code: string, extra: Partial<VerifyInput> = {}) {
  const r = verify({ insns: assemble(code), progType: 'xdp', ...extra }, { logLevel: 2 });
  return { ...r, msg: r.error?.message ?? 'accept', lines: r.error?.lines ?? [] };
}

/** The annotation printed after instruction `idx` (level-2 log). */
function after(log: string, idx: number): string {
  const line = log.split('\n').find((l) => l.startsWith(`${idx}: (`));
  return line === undefined || !line.includes(';') ? '' : line.slice(line.indexOf(';') + 1);
}

describe('stack', () => {
  test('spill and fill keep a scalar exactly', () => {
    const r = run('r1 = 5\n*(u64 *)(r10 -8) = r1\nr0 = *(u64 *)(r10 -8)\nexit');
    expect(r.msg).toBe('accept');
    expect(after(r.log, 1)).toContain('fp-8=5');
    expect(after(r.log, 2)).toContain('R0=5');
    expect(r.stats.stackDepths[0]).toBe(8);
  });

  test('narrow spill marks only its bytes; the rest stay invalid for root', () => {
    const r = run('r3 = 7\n*(u32 *)(r10 -32) = r3\nr0 = 0\nexit');
    expect(after(r.log, 1)).toContain('fp-32=????7');
    expect(r.stats.stackDepths[0]).toBe(32);
  });

  test('unaligned zero store gives STACK_ZERO bytes and a zero load', () => {
    const r = run('*(u32 *)(r10 -36) = 0\nr0 = *(u32 *)(r10 -36)\nexit');
    expect(r.msg).toBe('accept');
    expect(after(r.log, 0)).toContain('fp-40=0000????');
    expect(after(r.log, 1)).toContain('R0=0');
  });

  test('narrow fill of a pointer is rejected', () => {
    expect(run('*(u64 *)(r10 -8) = r1\nr0 = *(u32 *)(r10 -8)\nexit').msg).toBe('invalid size of register fill');
  });

  test('narrow fill of a spilled scalar truncates', () => {
    const r = run('r1 = 0x1ffffffff ll\n*(u64 *)(r10 -8) = r1\nr0 = *(u32 *)(r10 -8)\nexit');
    expect(r.msg).toBe('accept');
    expect(after(r.log, 3)).toContain('R0=0xffffffff');
  });

  test('partial read across a zeroed and a misc part is unknown', () => {
    const r = run('*(u32 *)(r10 -8) = 0\n*(u32 *)(r10 -4) = 3\nr0 = *(u64 *)(r10 -8)\nexit');
    expect(r.msg).toBe('accept');
    expect(after(r.log, 2)).toMatch(/R0=scalar\(\)/);
  });

  test('bounds: below 512 and at the frame pointer', () => {
    expect(run('*(u64 *)(r10 -520) = 1\nr0 = 0\nexit').msg).toBe('invalid write to stack R10 off=-520 size=8');
    const r = run('*(u64 *)(r10 +0) = 1\nr0 = 0\nexit');
    expect(r.msg).toBe('invalid write to stack R10 off=0 size=8');
    expect(r.error?.errno).toBe('EACCES');
  });

  test('stack accesses are always strictly aligned', () => {
    expect(run('*(u64 *)(r10 -12) = 1\nr0 = 0\nexit').msg).toBe('misaligned stack access off 0+0+-12 size 8');
  });

  test('variable-offset write and read inside the frame', () => {
    const code = [
      '*(u64 *)(r10 -16) = 0', '*(u64 *)(r10 -8) = 0',
      'r2 = *(u32 *)(r1 +12)', 'r2 &= 8', 'r3 = r10', 'r3 += -16', 'r3 += r2',
      'r0 = *(u64 *)(r3 +0)', 'exit',
    ].join('\n');
    const r = run(code);
    expect(r.msg).toBe('accept');
    // the 8-byte zero stores are spills of a constant, not STACK_ZERO bytes: the variable read is unknown
    expect(after(r.log, 7)).toContain('R0=scalar()');
  });

  test('variable-offset write out of the frame', () => {
    const code = ['r2 = *(u32 *)(r1 +12)', 'r2 &= 1023', 'r3 = r10', 'r3 += r2', '*(u8 *)(r3 -8) = 1', 'r0 = 0', 'exit'].join('\n');
    const r = run(code);
    expect(r.msg).toBe('invalid variable-offset write to stack R3 var_off=(0x0; 0x3ff) off=-8 size=1');
    // the lowest address is inside the frame, the highest above it
    expect(r.error?.errno).toBe('EINVAL');
  });

  test('a pointer may not be spilled with fewer than 8 bytes', () => {
    expect(run('*(u32 *)(r10 -8) = r1\nr0 = 0\nexit').msg).toBe('invalid size of register spill');
  });
});

describe('ctx and packet', () => {
  test('ctx loads give packet pointers; a checked packet read is accepted', () => {
    const code = [
      'r2 = *(u32 *)(r1 +0)', 'r3 = *(u32 *)(r1 +4)', 'r4 = r2', 'r4 += 4', 'if r4 > r3 goto +2',
      'r0 = *(u32 *)(r2 +0)', 'exit', 'r0 = 0', 'exit',
    ].join('\n');
    const r = run(code);
    expect(r.msg).toBe('accept');
    expect(after(r.log, 0)).toContain('R2=pkt(r=0)');
    expect(after(r.log, 5)).toMatch(/R0=scalar\(smin=0,smax=umax=0xffffffff,var_off=\(0x0; 0xffffffff\)\)/);
    expect(after(r.log, 1)).toContain('R3=pkt_end()');
  });

  test('unchecked packet read prints both lines', () => {
    const r = run('r2 = *(u32 *)(r1 +0)\nr0 = *(u8 *)(r2 +0)\nexit');
    expect(r.lines).toEqual(['invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)', 'R2 offset is outside of the packet']);
  });

  test('invalid ctx offset, modified ctx pointer', () => {
    expect(run('r0 = *(u32 *)(r1 +24)\nexit').msg).toBe('invalid bpf_context access off=24 size=4');
    expect(run('r1 += 4\nr0 = *(u32 *)(r1 +0)\nexit').msg).toBe('dereference of modified ctx ptr R1 off=4 disallowed');
  });

  test('packet writes are refused where the program type cannot write', () => {
    const code = [
      'r2 = *(u32 *)(r1 +76)', 'r3 = *(u32 *)(r1 +80)', 'r4 = r2', 'r4 += 1', 'if r4 > r3 goto +1',
      '*(u8 *)(r2 +0) = 1', 'r0 = 1', 'exit',
    ].join('\n');
    expect(run(code, { progType: 'cgroup_skb', attachType: 'BPF_CGROUP_INET_INGRESS' }).msg).toBe('cannot write into packet');
    expect(run(code, { progType: 'tc' }).msg).toBe('accept');
  });

  test('strict alignment applies the NET_IP_ALIGN rule to packets', () => {
    const code = [
      'r2 = *(u32 *)(r1 +0)', 'r3 = *(u32 *)(r1 +4)', 'r4 = r2', 'r4 += 8', 'if r4 > r3 goto +1',
      'r0 = *(u32 *)(r2 +1)', 'r0 = 0', 'exit',
    ].join('\n');
    expect(run(code, { progFlags: 1 }).msg).toBe('misaligned packet access off 2+0+0+1 size 4');
  });

  test('scalars and pkt_end cannot be dereferenced', () => {
    expect(run('r1 = 0\nr0 = *(u64 *)(r1 +0)\nexit').msg).toBe("R1 invalid mem access 'scalar'");
    expect(run('r3 = *(u32 *)(r1 +4)\nr0 = *(u8 *)(r3 +0)\nexit').msg).toBe("R3 invalid mem access 'pkt_end'");
  });
});

describe('maps', () => {
  test('map value pseudo load and region checks', () => {
    const ok = run('r1 = map[idx:0]+8\nr0 = *(u64 *)(r1 +0)\nexit', { maps: [arr()] });
    expect(ok.msg).toBe('accept');
    expect(after(ok.log, 0)).toContain('R1=map_value(map=arr,ks=4,vs=16,off=8)');
    const bad = run('r1 = map[idx:0]+8\nr0 = *(u64 *)(r1 +4)\nexit', { maps: [arr()] });
    expect(bad.lines).toEqual(['invalid access to map value, value_size=16 off=12 size=8', 'R1 min value is outside of the allowed memory range']);
  });

  test('frozen read-only array loads are constants (zero- and sign-extended)', () => {
    const m = arr({ flags: 128, frozen: true, initialData: Uint8Array.from([0xfe, 0xff, 0xff, 0xff, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) });
    const r = run('r1 = map[idx:0]+0\nr2 = *(u32 *)(r1 +0)\nr3 = *(s32 *)(r1 +0)\nr0 = *(u8 *)(r1 +4)\nexit', { maps: [m] });
    expect(r.msg).toBe('accept');
    expect(after(r.log, 2)).toContain('R2=0xfffffffe');
    expect(after(r.log, 3)).toContain('R3=-2');
    expect(after(r.log, 4)).toContain('R0=5');
  });

  test('rdonly_prog map refuses stores', () => {
    const r = run('r1 = map[idx:0]+0\n*(u32 *)(r1 +4) = 1\nr0 = 0\nexit', { maps: [arr({ flags: 128 })] });
    expect(r.msg).toBe('write into map forbidden, value_size=16 off=4 size=4');
  });

  test('map pointer: constant map reads are allowed, writes are not', () => {
    expect(run('r1 = map[idx:0]\nr0 = *(u32 *)(r1 +0)\nexit', { maps: [arr()] }).msg).toBe('accept');
    expect(run('r1 = map[idx:0]\n*(u32 *)(r1 +0) = 0\nr0 = 0\nexit', { maps: [arr()] }).msg).toBe('only read from bpf_array is supported');
  });
});

describe('atomics', () => {
  test('fetch-add writes the old value back to the source register', () => {
    const r = run('*(u64 *)(r10 -8) = 0\nr1 = 1\nr1 = atomic64_fetch_add((u64 *)(r10 -8), r1)\nr0 = r1\nexit');
    expect(r.msg).toBe('accept');
    expect(after(r.log, 2)).toContain('R1=');
  });

  test('cmpxchg needs R0 and loads into it', () => {
    expect(run('*(u64 *)(r10 -8) = 0\nr1 = 1\nr0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)\nexit').msg).toBe('R0 !read_ok');
    const r = run('r1 = map[idx:0]+0\nr0 = 0\nr2 = 3\nr0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)\nexit', { maps: [arr()] });
    expect(r.msg).toBe('accept');
    expect(after(r.log, 4)).toMatch(/R0=scalar\(\)/);
  });

  test('atomics on ctx are refused; atomics are always strictly aligned', () => {
    expect(run('r2 = 1\nlock *(u32 *)(r1 +0) += r2\nr0 = 0\nexit').msg).toBe('BPF_ATOMIC stores into R1 ctx is not allowed');
    expect(run('r1 = map[idx:0]+0\nr2 = 1\nlock *(u64 *)(r1 +4) += r2\nr0 = 0\nexit', { maps: [arr()] }).msg).toBe(
      'misaligned value access off 0+0+4 size 8',
    );
  });
});

describe('ld_imm64 and LD_ABS', () => {
  test('64-bit constant', () => {
    const r = run('r0 = 0x123456789 ll\nexit');
    expect(after(r.log, 0)).toContain('R0=0x123456789');
  });

  test('function pointer without func_info', () => {
    const r = run('r1 = subprog[+4]\ncall pc+2\nr0 = 0\nexit\nr0 = 0\nexit');
    expect(r.msg).toBe('missing btf func_info');
  });

  test('LD_ABS: program type, R6 and clobbers', () => {
    expect(run('r6 = r1\nr0 = *(u8 *)skb[0]\nexit').msg).toBe('BPF_LD_[ABS|IND] instructions not allowed for this program type');
    expect(run('r0 = *(u8 *)skb[0]\nexit', { progType: 'socket_filter' }).msg).toBe('R6 !read_ok');
    expect(run('r6 = 0\nr0 = *(u8 *)skb[0]\nexit', { progType: 'socket_filter' }).msg).toBe('at the time of BPF_LD_ABS|IND R6 != pointer to skb');
    const ok = run('r6 = r1\nr0 = *(u16 *)skb[12]\nexit', { progType: 'socket_filter' });
    expect(ok.msg).toBe('accept');
    expect(run('r6 = r1\nr0 = *(u16 *)skb[12]\nr0 = r1\nexit', { progType: 'socket_filter' }).msg).toBe('R1 !read_ok');
  });
});

describe('same instruction, different pointers', () => {
  test('ctx on one path and stack on the other', () => {
    const code = ['r2 = *(u32 *)(r1 +0)', 'r3 = r10', 'r3 += -8', '*(u64 *)(r10 -8) = 0', 'if r2 == 0 goto +1', 'r3 = r1', 'r0 = *(u32 *)(r3 +0)', 'exit'].join(
      '\n',
    );
    expect(run(code).msg).toBe('same insn cannot be used with different pointers');
  });
});

describe('helper memory arguments', () => {
  const lookup = (keyOff: number, keySize: number) =>
    run(`*(u64 *)(r10 -16) = 0\n*(u64 *)(r10 -8) = 0\nr2 = r10\nr2 += ${keyOff}\nr1 = map[idx:0]\ncall bpf_map_lookup_elem\nr0 = 0\nexit`, {
      maps: [arr({ keySize, maxEntries: 4 })],
    });

  test('stack key inside the frame', () => {
    expect(lookup(-16, 16).msg).toBe('accept');
  });

  test('stack key running past the frame pointer', () => {
    expect(lookup(-8, 16).msg).toBe('invalid read from stack R2 off=-8 size=16');
  });

  test('an unchecked packet pointer as key', () => {
    const r = run('r2 = *(u32 *)(r1 +0)\nr1 = map[idx:0]\ncall bpf_map_lookup_elem\nr0 = 0\nexit', { maps: [arr()] });
    expect(r.lines).toEqual(['invalid access to packet, off=0 size=4, R2(id=0,off=0,r=0)', 'R2 offset is outside of the packet']);
  });
});
