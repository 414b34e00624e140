#!/usr/bin/env node
import { main } from '../main.js';

// Output may be piped into `head`; a closed pipe is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const code = await main(process.argv.slice(2));
process.exitCode = code;
