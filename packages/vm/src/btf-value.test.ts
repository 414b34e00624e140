import { readFileSync } from 'node:fs';
import { findByName, parseBtf } from '@bpfkit/btf';
import { kernelBtfBytes, loadObject } from '@bpfkit/object';
import { describe, expect, test } from 'vitest';
import { decodeValue } from './btf-value.js';
import { contextKind, ethInfo, fillSkb } from './context.js';

const obj = (name: string) => {
  const { spec, btfFixups } = loadObject(new Uint8Array(readFileSync(new URL(`../../../fixtures/obj/${name}.bpf.o`, import.meta.url))), { name });
  return { spec, btf: parseBtf(kernelBtfBytes(spec.btf!, btfFixups!)) };
};

describe('BTF value decoder', () => {
  test('global sections: ints, char arrays, by variable name', () => {
    const { spec, btf } = obj('plain');
    const data = spec.maps.find((m) => m.section === '.data')!;
    expect(decodeValue(btf, data.datasecId!, data.initialData!)).toEqual({ data_counter: 5 });
    const ro = spec.maps.find((m) => m.section === '.rodata')!;
    expect(decodeValue(btf, ro.datasecId!, ro.initialData!)).toEqual({ rodata_limit: 1500, rodata_msg: 'bpfkit' });
  });

  test('structs; special fields as markers or replaced by the hook', () => {
    const { btf } = obj('list_nested');
    const id = findByName(btf, 'outer', 'STRUCT');
    const bytes = new Uint8Array(64);
    new DataView(bytes.buffer).setUint32(48, 7, true);
    expect(decodeValue(btf, id, bytes)).toEqual({
      lock: { $marker: 'bpf_spin_lock' }, inners: { $marker: 'bpf_list_head' }, node: { $marker: 'bpf_list_node' }, id: 7,
    });
    const seen: [string, number][] = [];
    const v = decodeValue(btf, id, bytes, { base: 0x1000, special: (k, a) => (seen.push([k, a]), k === 'bpf_list_head' ? 'LIST' : undefined) });
    expect(v).toMatchObject({ inners: 'LIST', id: 7 });
    expect(seen).toEqual([['bpf_spin_lock', 0x1000], ['bpf_list_head', 0x1008], ['bpf_list_node', 0x1018]]);
  });

  test('64-bit values beyond 2^53 stay exact', () => {
    const { spec, btf } = obj('plain');
    const bss = spec.maps.find((m) => m.section === '.bss')!;
    const b = new Uint8Array(bss.valueSize);
    new DataView(b.buffer).setBigUint64(0, 0xffff_ffff_ffff_fff0n, true);
    expect((decodeValue(btf, bss.datasecId!, b) as Record<string, unknown>).bss_total).toBe(0xffff_ffff_ffff_fff0n);
  });
});

describe('contexts', () => {
  test('program types', () => {
    expect(contextKind('BPF_PROG_TYPE_SCHED_CLS')).toBe('skb-l2');
    expect(contextKind('BPF_PROG_TYPE_SOCKET_FILTER')).toBe('skb-l3');
    expect(contextKind('BPF_PROG_TYPE_XDP')).toBe('xdp');
    expect(contextKind('BPF_PROG_TYPE_SYSCALL')).toBe('raw');
  });
  test('eth_type_trans on loopback', () => {
    const p = new Uint8Array(64);
    p[12] = 0x08;
    expect(ethInfo(p)).toEqual({ protocol: 0x0008, pktType: 0 });
    p.fill(0xff, 0, 6);
    expect(ethInfo(p).pktType).toBe(1);
    p[0] = 0x03;
    expect(ethInfo(p).pktType).toBe(2);
    p[0] = 0x02;
    expect(ethInfo(p).pktType).toBe(3);
    p[12] = 0;
    p[13] = 0x40;
    expect(ethInfo(p).protocol).toBe(0x0400); // ETH_P_802_2, big-endian in memory
  });
  test('__sk_buff fields', () => {
    const dv = new DataView(new ArrayBuffer(192));
    fillSkb(dv, { len: 64, data: 0x20000, dataEnd: 0x20040, protocol: 8, pktType: 0 });
    expect([dv.getUint32(0, true), dv.getUint32(16, true), dv.getUint32(40, true), dv.getUint32(76, true), dv.getUint32(80, true), dv.getUint32(140, true)]).toEqual([
      64, 8, 1, 0x20000, 0x20040, 0x20000,
    ]);
  });
});
