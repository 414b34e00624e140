// Shared by the installed commands (bin/bpfkit.js, bin/bpfkit-conformance-plugin.js) (they exist before the first build, so `npm ci` links them).
// `npm run build` compiles the CLI to dist/ and bundles it into dist-bundle/ (fewer modules to
// load: faster start-up); the bundle is used when it is at least as new as the last tsc build
// (dist/.tsbuildinfo), so a `tsc -b` alone never runs a stale bundle.
import { statSync } from 'node:fs';

const mtime = (rel) => {
  try {
    return statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};

/** Imports `../dist-bundle/<bundled>` when fresh, else `../dist/<compiled>`; one line and exit 2 when not built. */
export async function launch(command, bundled, compiled) {
  const b = mtime(`../dist-bundle/${bundled}`);
  const entry = b >= 0 && b >= mtime('../dist/.tsbuildinfo') ? `../dist-bundle/${bundled}` : `../dist/${compiled}`;
  try {
    await import(entry);
  } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(entry.slice(3))) {
      process.stderr.write(`${command}: not built yet: run \`npm run build\` first\n`);
      process.exit(2);
    }
    throw e;
  }
}
