/**
 * The common `bpfkit verify` shapes without the option parser and the other verbs: the bundle
 * builds this module on its own as CommonJS (dist-bundle/verify-fast.cjs), loaded with a V8 code
 * cache made at build time (bin/code-cache.ts), so a cold `bpfkit verify` compiles almost nothing.
 * Output, errors and exit codes are those of `main` (the e2e tests run both paths).
 */
import { writeSync } from 'node:fs';
import { verifyCommand } from './commands/verify.js';
import { describeError } from './errors.js';
import { makeOut, wantColor } from './output.js';

export interface PlainVerify {
  file: string;
  prog: string[];
  json: boolean;
  /** false for --no-color; undefined = decide from the terminal and NO_COLOR. */
  color: false | undefined;
}

export interface FastIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/**
 * Straight to the file descriptor: creating process.stdout costs milliseconds at start-up. A full
 * non-blocking pipe (EAGAIN) is retried; a closed one (EPIPE, `| head`) ends the process quietly.
 */
function writeFd(fd: number, s: string): void {
  const b = Buffer.from(s, 'utf8');
  let off = 0;
  while (off < b.length) {
    try {
      off += writeSync(fd, b, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') process.exit(0);
      throw e;
    }
  }
}

const processIo: FastIo = {
  stdout: (s) => writeFd(1, s),
  stderr: (s) => writeFd(2, s),
};

export async function fastVerify(a: PlainVerify, io: FastIo = processIo): Promise<number> {
  try {
    const out = makeOut({ json: a.json, color: wantColor(a.color) }, io.stdout);
    return await verifyCommand(a.file, a.prog.length ? { prog: a.prog } : {}, out);
  } catch (e) {
    const { line, exitCode } = describeError(e, a.file);
    io.stderr(line + '\n');
    return exitCode;
  }
}
