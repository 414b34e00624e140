/** The README's example, executed: it runs as printed (with the edits named below) and prints what its comments say. */
import { linux618, checkCtxAccess, formatArg, compatibleRegTypes, createPlatform } from '@bpfkit/platform';
import { expect, test } from 'vitest';
import { runReadmeExample as runExample, type ReadmeRunOptions } from '../../../testing/readme-example.js';

const runReadmeExample = (opts: ReadmeRunOptions = {}) => runExample(import.meta.url, opts);

test('README example runs, and its comments are the values', async () => {
  await runReadmeExample({ postamble: 'export { big };' });
  const xdp = linux618.progType('xdp')!;
  expect(linux618.progType('BPF_PROG_TYPE_XDP')).toBe(xdp);
  expect(linux618.progType(6)).toBe(xdp);
  expect(xdp.helperAllowed(26)).toBe(false);
  expect(checkCtxAccess(xdp, 0, 2, false)).toMatchObject({ ok: false });
  expect(checkCtxAccess('tc', 1, 1, false)).toMatchObject({ ok: true, kind: 'scalar', field: 'len', narrowedSize: 4 });
  expect(linux618.helper(1)!.args.map(formatArg)).toEqual(['ARG_CONST_MAP_PTR', 'ARG_PTR_TO_MAP_KEY']);
  expect(compatibleRegTypes('ARG_PTR_TO_MAP_KEY').join(', ')).toBe('fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_');
  expect(linux618.progType('cgroup_skb')!.returnRange('BPF_CGROUP_INET_EGRESS')).toEqual({ min: 0, max: 3 });
  expect(createPlatform({ limits: { nrCpuIds: 64 } })).toBeDefined();
});
