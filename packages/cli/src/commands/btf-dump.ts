/** `bpfkit btf dump FILE [--format raw|c|json]` */
import { dumpC, dumpJson, dumpRaw } from '@bpfkit/btf';
import { EXIT_OK } from '../errors.js';
import type { Out } from '../output.js';
import { loadBtf } from './load-btf.js';

export async function btfDump(file: string, opts: { format: 'raw' | 'c' | 'json' }, out: Out): Promise<number> {
  const btf = await loadBtf(file);
  const format = out.json ? 'json' : opts.format;
  if (format === 'json') out.write(dumpJson(btf));
  else if (format === 'c') out.write(dumpC(btf, { startId: btf.startId }));
  else out.write(dumpRaw(btf));
  return EXIT_OK;
}
