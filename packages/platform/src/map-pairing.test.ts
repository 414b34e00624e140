import { describe, expect, it } from 'vitest';
import { mapHelperCompatible } from './map-pairing.js';

describe('map-type / helper pairing (§11.5)', () => {
  it('prog arrays only with tail_call, and tail_call only with prog arrays', () => {
    expect(mapHelperCompatible('BPF_MAP_TYPE_PROG_ARRAY', 12)).toBe(true);
    expect(mapHelperCompatible('BPF_MAP_TYPE_PROG_ARRAY', 1)).toBe(false);
    expect(mapHelperCompatible('BPF_MAP_TYPE_ARRAY', 12)).toBe(false);
  });
  it('ringbufs with ringbuf_* only', () => {
    expect(mapHelperCompatible('BPF_MAP_TYPE_RINGBUF', 131)).toBe(true);
    expect(mapHelperCompatible('BPF_MAP_TYPE_RINGBUF', 2)).toBe(false);
    expect(mapHelperCompatible('BPF_MAP_TYPE_HASH', 130)).toBe(false);
  });
  it('perf event arrays, stack traces, devmap/xskmap, map-of-maps, queue/stack, bloom filter', () => {
    expect(mapHelperCompatible('BPF_MAP_TYPE_PERF_EVENT_ARRAY', 25)).toBe(true);
    expect(mapHelperCompatible('BPF_MAP_TYPE_ARRAY', 25)).toBe(false);
    expect(mapHelperCompatible('BPF_MAP_TYPE_STACK_TRACE', 27)).toBe(true);
    expect(mapHelperCompatible('BPF_MAP_TYPE_DEVMAP', 1)).toBe(true);
    expect(mapHelperCompatible('BPF_MAP_TYPE_CPUMAP', 1)).toBe(false);
    expect(mapHelperCompatible('BPF_MAP_TYPE_CPUMAP', 51)).toBe(true);
    expect(mapHelperCompatible('BPF_MAP_TYPE_HASH_OF_MAPS', 1)).toBe(true);
    expect(mapHelperCompatible('BPF_MAP_TYPE_HASH_OF_MAPS', 2)).toBe(false);
    expect(mapHelperCompatible('BPF_MAP_TYPE_QUEUE', 88)).toBe(true);
    expect(mapHelperCompatible('BPF_MAP_TYPE_BLOOM_FILTER', 88)).toBe(false);
    expect(mapHelperCompatible('BPF_MAP_TYPE_BLOOM_FILTER', 87)).toBe(true);
  });
  it('generic maps are unrestricted with lookup/update/delete', () => {
    for (const m of ['BPF_MAP_TYPE_ARRAY', 'BPF_MAP_TYPE_HASH', 'BPF_MAP_TYPE_LRU_HASH', 'BPF_MAP_TYPE_PERCPU_ARRAY']) {
      for (const h of [1, 2, 3]) expect(mapHelperCompatible(m, h)).toBe(true);
    }
    expect(mapHelperCompatible('BPF_MAP_TYPE_PERCPU_ARRAY', 195)).toBe(true);
    expect(mapHelperCompatible('BPF_MAP_TYPE_ARRAY', 195)).toBe(false);
  });
});
