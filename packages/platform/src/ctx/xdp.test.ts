import { describe, expect, it } from 'vitest';
import { checkCtxAccess } from '../ctx-access.js';
import { XDP_MD_FIELDS } from './xdp.js';

const read = (off: number, size: number, attach?: string) => checkCtxAccess('xdp', off, size, false, attach);

describe('xdp_md ctx access (§9.6)', () => {
  it('maps data/data_end/data_meta to packet pointers and the rest to scalars', () => {
    expect(read(0, 4)).toEqual({ ok: true, kind: 'pkt', field: 'data' });
    expect(read(4, 4)).toEqual({ ok: true, kind: 'pkt_end', field: 'data_end' });
    expect(read(8, 4)).toEqual({ ok: true, kind: 'pkt_meta', field: 'data_meta' });
    expect(read(12, 4)).toEqual({ ok: true, kind: 'scalar', field: 'ingress_ifindex' });
    expect(read(16, 4)).toEqual({ ok: true, kind: 'scalar', field: 'rx_queue_index' });
  });

  it('rejects a 2-byte read of data (obs) and every non-4-byte access', () => {
    expect(read(0, 2).ok).toBe(false);
    for (const fld of XDP_MD_FIELDS) for (const size of [1, 2, 8]) expect(read(fld.off, size).ok).toBe(false);
    expect(read(2, 4).ok).toBe(false);
    expect(read(24, 4).ok).toBe(false);
    expect(read(-4, 4).ok).toBe(false);
  });

  it('allows egress_ifindex only for BPF_XDP_DEVMAP (obs)', () => {
    expect(read(20, 4).ok).toBe(false);
    expect(read(20, 4, 'BPF_XDP_CPUMAP').ok).toBe(false);
    expect(read(20, 4, 'BPF_XDP_DEVMAP')).toEqual({ ok: true, kind: 'scalar', field: 'egress_ifindex' });
  });

  it('refuses writes unless offloaded (then rx_queue_index only)', () => {
    for (const fld of XDP_MD_FIELDS) expect(checkCtxAccess('xdp', fld.off, 4, true).ok).toBe(false);
    expect(checkCtxAccess('xdp', 16, 4, true, { offloaded: true }).ok).toBe(true);
    expect(checkCtxAccess('xdp', 12, 4, true, { offloaded: true }).ok).toBe(false);
  });

  it('refuses sign-extending loads of pointer fields only', () => {
    expect(checkCtxAccess('xdp', 0, 4, false, { signExtend: true }).ok).toBe(false);
    expect(checkCtxAccess('xdp', 12, 4, false, { signExtend: true }).ok).toBe(true);
  });
});
