/**
 * `bpfkit map dump FILE [--after PROG]...`: every map of the object (global data sections
 * included), after running the `--after` programs in order, keys and values as hex.
 */
import type { Instance } from '@bpfkit/vm';
import { EXIT_OK, EXIT_REJECTED } from '../errors.js';
import type { Out } from '../output.js';
import { instanceFor, packetFromOptions, runPrograms, type RunCliOptions } from './run.js';

export interface MapDumpJson {
  maps: {
    name: string;
    type: string;
    section?: string;
    entries: { key: string; value?: string; values?: { cpu: number; value: string }[]; inner?: string }[];
  }[];
  runs?: { prog: string; retval: number }[];
  error?: { prog: string; insn: number; message: string };
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export function dumpMaps(inst: Instance, nrCpus = 2): MapDumpJson['maps'] {
  return inst.maps.map((m) => {
    const entries: MapDumpJson['maps'][number]['entries'] = [];
    for (const k of m.keys()) {
      if (m.percpu) {
        const values: { cpu: number; value: string }[] = [];
        for (let cpu = 0; cpu < nrCpus; cpu++) {
          const v = m.lookup(k, cpu);
          if (v) values.push({ cpu, value: hex(v) });
        }
        entries.push({ key: hex(k), values });
        continue;
      }
      const v = m.lookup(k);
      if (!v) continue;
      if (m.type === 12 || m.type === 13) {
        const inner = m.lookupValue(k);
        entries.push({ key: hex(k), value: hex(v), ...(typeof inner === 'string' ? { inner } : {}) });
      } else entries.push({ key: hex(k), value: hex(v) });
    }
    return { name: m.name, type: m.typeName.replace(/^BPF_MAP_TYPE_/, '').toLowerCase(), ...(m.section ? { section: m.section } : {}), entries };
  });
}

const spaced = (h: string): string => h.replace(/(..)(?!$)/g, '$1 ');

export async function mapDumpCommand(file: string, opts: RunCliOptions, out: Out, stderr: (s: string) => void): Promise<number> {
  const data = packetFromOptions(opts);
  const inst = await instanceFor(file, opts);
  const { results, error } = await runPrograms(inst, opts.after ?? [], data, 1);
  const json: MapDumpJson = {
    maps: dumpMaps(inst),
    ...(results.length ? { runs: results.map(({ prog, r }) => ({ prog, retval: r.retval })) } : {}),
    ...(error ? { error: { prog: error.prog, insn: error.insn, message: error.message } } : {}),
  };
  if (out.json) out.writeJson(json);
  else {
    let s = '';
    for (const m of json.maps) {
      s += `${out.bold(m.name)} (${m.type}${m.section ? `, section ${m.section}` : ''}): ${m.entries.length} ${m.entries.length === 1 ? 'entry' : 'entries'}\n`;
      for (const e of m.entries) {
        if (e.values) {
          s += `  key: ${spaced(e.key)}\n`;
          for (const v of e.values) s += `    cpu ${v.cpu}: ${spaced(v.value)}\n`;
        } else s += `  key: ${spaced(e.key)}  value: ${spaced(e.value ?? '')}${e.inner ? ` (map ${e.inner})` : ''}\n`;
      }
    }
    out.write(s);
  }
  if (error) {
    stderr(`bpfkit: ${file}: ${error.message}\n`);
    return EXIT_REJECTED;
  }
  return EXIT_OK;
}
