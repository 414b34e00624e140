/**
 * Source excerpts for `bpfkit verify`: the lines around the failing instruction, with the lines
 * that matter (where a reference was acquired, the lock taken, …) marked. Sources are found
 * through the object's line_info paths, tried relative to the working directory and to the
 * object's directory and its parents; without the source file the caller keeps line_info's text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

export interface Mark {
  readonly line: number;
  /** `error` for the failing line, else the role (`acquired`, `lock taken`, …). */
  readonly role: string;
}

export interface ExcerptStyle {
  readonly error: (s: string) => string;
  readonly mark: (s: string) => string;
  readonly dim: (s: string) => string;
}

const cache = new Map<string, string[] | null>();

/** The lines of a source file named by line_info (null when it cannot be found). */
export function sourceLines(file: string, objectPath: string): string[] | null {
  const key = `${file}\0${objectPath}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const candidates: string[] = [];
  if (isAbsolute(file)) candidates.push(file);
  else {
    candidates.push(resolve(file));
    let dir = dirname(resolve(objectPath));
    for (let i = 0; i < 4; i++) {
      candidates.push(resolve(dir, file));
      dir = dirname(dir);
    }
  }
  let lines: string[] | null = null;
  for (const c of candidates) {
    try {
      if (existsSync(c)) {
        lines = readFileSync(c, 'utf8').split('\n');
        break;
      }
    } catch {
      // unreadable: try the next candidate
    }
  }
  cache.set(key, lines);
  return lines;
}

/**
 * Numbered excerpt: each marked line with one line of context on each side; gaps of more
 * than one line between windows are shown as `…`. The failing line gets `>`, related lines `*`
 * and their role at the end.
 */
export function renderExcerpt(lines: readonly string[], marks: readonly Mark[], style: ExcerptStyle, indent = '  '): string {
  const valid = marks.filter((m) => m.line >= 1 && m.line <= lines.length);
  if (valid.length === 0) return '';
  const shown = new Set<number>();
  for (const m of valid) for (let l = m.line - 1; l <= m.line + 1; l++) if (l >= 1 && l <= lines.length) shown.add(l);
  const order = [...shown].sort((a, b) => a - b);
  const width = String(order[order.length - 1]).length;
  const roleOf = new Map<number, string[]>();
  for (const m of valid) roleOf.set(m.line, [...(roleOf.get(m.line) ?? []), m.role]);
  let out = '';
  let prev = 0;
  for (const l of order) {
    if (prev && l > prev + 1) out += `${indent}${' '.repeat(width)}   ${style.dim('…')}\n`;
    prev = l;
    const roles = roleOf.get(l);
    const isError = roles?.includes('error') ?? false;
    const gutter = isError ? '>' : roles ? '*' : ' ';
    const text = lines[l - 1]!.replace(/\t/g, '    ').replace(/\s+$/, '');
    const num = String(l).padStart(width);
    const others = roles?.filter((r) => r !== 'error') ?? [];
    const note = others.length ? `   ${style.mark(`← ${others.join(', ')}`)}` : '';
    const body = `${gutter} ${num} | ${text}`;
    out += `${indent}${isError ? style.error(body) : roles ? style.mark(body) : style.dim(body)}${note}\n`;
  }
  return out;
}
