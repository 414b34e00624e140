#!/usr/bin/env node
/** Entry of the `bpfkit-conformance-plugin` executable (see plugin.ts). */
import { pluginMain } from './plugin.js';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
process.exitCode = await pluginMain(process.argv.slice(2), Buffer.concat(chunks).toString('utf8'), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
