import fs from 'node:fs';
import path from 'node:path';

/** The repository root, found from wherever the transpiled test runs (out/test/...). */
export const repoRoot: string = (() => {
  let directory = __dirname;
  while (!fs.existsSync(path.join(directory, 'package.json')) || !fs.existsSync(path.join(directory, 'esbuild.mjs'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('repository root not found');
    directory = parent;
  }
  return directory;
})();
