/**
 * `bpfkit verify FILE [--prog NAME]... [--log-level 0|1|2]`: every program of
 * the object (also `?` non-autoload sections) verified on its own, as Linux
 * 6.18 would; exit 0 when all are accepted, 1 when any is rejected.
 */
import { basename } from 'node:path';
import { linux618 } from '@bpfkit/platform';
import { objectProgramInput, verify, type SourceLine, type VerifyResult } from '@bpfkit/verifier';
import { CliError, EXIT_OK, EXIT_REJECTED } from '../errors.js';
import type { Out } from '../output.js';
import { renderExcerpt, sourceLines, type Mark } from '../source-excerpt.js';
import { loadObjectForLoad, selectPrograms } from './load-object.js';

type JsonLine = { file: string; line: number; col: number; text: string };

const jsonLine = (l: SourceLine | undefined): JsonLine | null => (l ? { file: l.file, line: l.line, col: l.col, text: l.text.trim() } : null);

export interface VerifyJson {
  object: string;
  programs: {
    name: string;
    section: string;
    accepted: boolean;
    error: {
      insn: number;
      message: string;
      line: JsonLine | null;
      /** Beyond Linux: the rule behind the message. */
      explanation?: string;
      /** Beyond Linux: instructions behind the error (where a leaked reference was acquired, the lock taken, …). */
      related?: { insn: number; line: JsonLine | null; role: string }[];
    } | null;
    stats: { insnsProcessed: number; totalStates: number; peakStates: number; timeUs: number };
    log?: string;
  }[];
}

export interface VerifyCliOptions {
  prog?: string[];
  logLevel?: string;
  /** Cap on the verifier's kept-state memory in MiB (VerifyOptions.maxStateMemory). */
  maxStateMb?: string;
}

function stateMemory(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65536) throw new CliError(`--max-state-mb must be a whole number of MiB between 1 and 65536, got '${v}'`);
  return Number(v) * 1024 * 1024;
}

export async function verifyCommand(file: string, opts: VerifyCliOptions, out: Out): Promise<number> {
  const maxStateMemory = stateMemory(opts.maxStateMb);
  const { spec, kernelBtf } = loadObjectForLoad(file);
  const logLevel = (opts.logLevel === undefined ? 0 : Number(opts.logLevel)) as 0 | 1 | 2;
  const results: { name: string; section: string; r: VerifyResult }[] = [];
  for (const p of selectPrograms(spec.programs, opts.prog)) {
    const { input } = objectProgramInput(spec, p.name, linux618, kernelBtf);
    results.push({ name: p.name, section: p.section, r: verify(input, { logLevel: logLevel === 0 ? 1 : logLevel, ...(maxStateMemory ? { maxStateMemory } : {}) }) });
  }
  const json: VerifyJson = {
    object: basename(file),
    programs: results.map(({ name, section, r }) => ({
      name,
      section,
      accepted: r.accepted,
      error: r.error
        ? {
            insn: r.error.insn,
            message: r.error.message,
            line: jsonLine(r.error.line),
            ...(r.error.explanation ? { explanation: r.error.explanation } : {}),
            ...(r.error.related ? { related: r.error.related.map((x) => ({ insn: x.insn, line: jsonLine(x.line), role: x.role })) } : {}),
          }
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
      for (const x of p.error.related ?? []) {
        s += `  ${x.role}: insn ${x.insn}${x.line ? `: ${x.line.text} (${x.line.file}:${x.line.line})` : ''}\n`;
      }
      s += excerptFor(p.error, file, out);
      if (p.error.explanation) s += `  ${out.cyan('why:')} ${p.error.explanation}\n`;
    }
  }
  out.write(s);
  return code;
}

/** The source lines around the error with the related lines marked ('' when the source is not at hand). */
function excerptFor(error: NonNullable<VerifyJson['programs'][number]['error']>, objectPath: string, out: Out): string {
  if (!error.line) return '';
  const marks: Mark[] = [{ line: error.line.line, role: 'error' }];
  for (const r of error.related ?? []) if (r.line && r.line.file === error.line.file) marks.push({ line: r.line.line, role: r.role });
  const lines = sourceLines(error.line.file, objectPath);
  if (!lines) return '';
  return renderExcerpt(lines, marks, { error: (x) => out.bold(out.red(x)), mark: out.yellow, dim: out.dim }, '    ');
}
