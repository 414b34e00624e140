/**
 * `bpfkit verify FILE [--prog NAME]... [--log-level 0|1|2]`: every program of
 * the object (also `?` non-autoload sections) verified on its own, as Linux
 * 6.18 would; exit 0 when all are accepted, 1 when any is rejected.
 */
import { basename } from 'node:path';
import { linux618 } from '@bpfkit/platform';
import { objectProgramInput, verify, type VerifyResult } from '@bpfkit/verifier';
import { EXIT_OK, EXIT_REJECTED } from '../errors.js';
import type { Out } from '../output.js';
import { loadObjectForLoad, selectPrograms } from './load-object.js';

export interface VerifyJson {
  object: string;
  programs: {
    name: string;
    section: string;
    accepted: boolean;
    error: { insn: number; message: string; line: { file: string; line: number; col: number; text: string } | null } | null;
    stats: { insnsProcessed: number; totalStates: number; peakStates: number; timeUs: number };
    log?: string;
  }[];
}

export async function verifyCommand(file: string, opts: { prog?: string[]; logLevel?: string }, out: Out): Promise<number> {
  const { spec, kernelBtf } = loadObjectForLoad(file);
  const logLevel = (opts.logLevel === undefined ? 0 : Number(opts.logLevel)) as 0 | 1 | 2;
  const results: { name: string; section: string; r: VerifyResult }[] = [];
  for (const p of selectPrograms(spec.programs, opts.prog)) {
    const { input } = objectProgramInput(spec, p.name, linux618, kernelBtf);
    results.push({ name: p.name, section: p.section, r: verify(input, { logLevel: logLevel === 0 ? 1 : logLevel }) });
  }
  const json: VerifyJson = {
    object: basename(file),
    programs: results.map(({ name, section, r }) => ({
      name,
      section,
      accepted: r.accepted,
      error: r.error
        ? { insn: r.error.insn, message: r.error.message, line: r.error.line ? { file: r.error.line.file, line: r.error.line.line, col: r.error.line.col, text: r.error.line.text.trim() } : null }
        : null,
      stats: { insnsProcessed: r.stats.insnsProcessed, totalStates: r.stats.totalStates, peakStates: r.stats.peakStates, timeUs: r.stats.timeUs },
      ...(logLevel > 0 ? { log: r.log } : {}),
    })),
  };
  const code = results.every((x) => x.r.accepted) ? EXIT_OK : EXIT_REJECTED;
  if (out.json) {
    out.writeJson(json);
    return code;
  }
  let s = '';
  for (const p of json.programs) {
    const verdict = p.accepted ? out.green('accepted') : out.red('rejected');
    s += `${out.bold(p.name)} (${p.section}): ${verdict}, ${p.stats.insnsProcessed} insns processed, ${p.stats.timeUs} µs\n`;
    if (p.log !== undefined) s += p.log.replace(/^/gm, '  ').replace(/ +$/, '') + '\n';
    if (p.error) {
      s += `  ${out.bold(p.error.message)}\n`;
      s += `  at insn ${p.error.insn}${p.error.line ? `: ${p.error.line.text} (${p.error.line.file}:${p.error.line.line})` : ''}\n`;
    }
  }
  out.write(s);
  return code;
}
