/** Recognising the plain `bpfkit verify` shapes (the fast path of bin/bpfkit.ts) without loading the option parser. */
import type { PlainVerify } from '../verify-fast.js';

/**
 * `[--json] [--no-color] verify FILE [--prog NAME]...` (global flags anywhere), else undefined.
 * Everything else (help, --log-level, --max-state-mb, variadic `--prog a b`) goes through `main`.
 */
export function plainVerify(argv: readonly string[]): PlainVerify | undefined {
  const a: PlainVerify = { file: '', prog: [], json: false, color: undefined };
  let verb = false;
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--json') a.json = true;
    else if (t === '--no-color') a.color = false;
    else if (!verb) {
      if (t !== 'verify') return undefined;
      verb = true;
    } else if (t === '--prog' || t.startsWith('--prog=')) {
      const v = t === '--prog' ? argv[++i] : t.slice('--prog='.length);
      if (v === undefined || v === '' || v.startsWith('-')) return undefined;
      // commander's --prog is variadic: `--prog a b` names two programs, so a bare word after a value is not FILE
      if (t === '--prog' && i + 1 < argv.length && !argv[i + 1]!.startsWith('-') && a.file !== '') return undefined;
      a.prog.push(v);
    } else if (!t.startsWith('-') && a.file === '' && a.prog.length === 0) a.file = t;
    else return undefined;
  }
  return verb && a.file !== '' ? a : undefined;
}
