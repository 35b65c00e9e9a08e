// Temporary folders for tests that write real files: made under the OS temp dir and removed together
// by `removeTemporaryDirectories` (call it from the file's `after` hook).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const temporaryDirectories: string[] = [];

export function temporaryDirectory(prefix: string): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirectories.push(directory);
  return directory;
}

export function removeTemporaryDirectories(): void {
  for (const directory of temporaryDirectories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
}
