/**
 * The CLI's error contract: every failure the user caused (bad file, bad flag,
 * unknown program) is a `CliError` with exit code 2 and one line of text.
 * Typed errors from the packages carry their own location; `describeError`
 * turns any of them into that one line.
 */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}

/** Error classes of the packages that describe bad input (they have a `code`). */
const INPUT_ERROR_NAMES = new Set(['VerifierInputError', 'PlatformError', 'IsaError', 'AsmError', 'BtfError', 'BtfRecordError', 'BtfCDumpError', 'ObjectError', 'LinkError']);

export function isInputError(e: unknown): e is Error & { code?: string } {
  return e instanceof Error && (INPUT_ERROR_NAMES.has(e.name) || INPUT_ERROR_NAMES.has(e.constructor.name));
}

/** One line for the terminal: `bpfkit: FILE: message`. */
export function describeError(e: unknown, file?: string): { line: string; exitCode: number } {
  const where = file ? `${file}: ` : '';
  if (e instanceof CliError) return { line: `bpfkit: ${where}${e.message}`, exitCode: e.exitCode };
  if (isInputError(e)) return { line: `bpfkit: ${where}${e.message}`, exitCode: EXIT_USAGE };
  const nodeErr = e as NodeJS.ErrnoException;
  if (nodeErr && typeof nodeErr.code === 'string' && typeof nodeErr.syscall === 'string') {
    const reason =
      nodeErr.code === 'ENOENT' ? 'no such file' : nodeErr.code === 'EISDIR' ? 'is a directory' : nodeErr.code === 'EACCES' ? 'permission denied' : nodeErr.code;
    return { line: `bpfkit: ${where}${reason}`, exitCode: EXIT_USAGE };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return {
    line: `bpfkit: internal error: ${msg} (please report this with the input file)`,
    exitCode: 70,
  };
}
