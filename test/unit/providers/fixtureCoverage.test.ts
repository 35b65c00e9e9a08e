// Every recorded transcript in test/fixtures/providers must be used by a test, and every transcript a
// test names must exist. The check reads the test sources (not the transpiled output), so it holds no
// matter which subset of tests a run selects.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { allFixtureFiles, findRepositoryRoot } from '../../fakes/fakeProviderServer';

const thisFile = 'fixtureCoverage.test.ts';

function testSources(directory: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...testSources(full));
    else if (entry.name.endsWith('.ts') && entry.name !== thisFile) files.push(full);
  }
  return files;
}

describe('provider fixtures', function () {
  const root = findRepositoryRoot();
  const sources = testSources(path.join(root, 'test', 'unit', 'providers')).map(file => fs.readFileSync(file, 'utf8'));
  /** Quoted `<provider>/<case>.json` literals in test code. */
  const named = new Set(sources.flatMap(source => [...source.matchAll(/['"`]([a-z0-9-]+\/[\w.-]+\.json)['"`]/g)].map(match => match[1] ?? '')));

  it('every fixture file is used by at least one test', function () {
    const unused = allFixtureFiles().filter(file => !named.has(file));
    assert.deepEqual(unused, [], `fixtures without a test: ${unused.join(', ')}`);
  });

  it('every fixture a test names exists', function () {
    const files = new Set(allFixtureFiles());
    const missing = [...named].filter(name => !files.has(name));
    assert.deepEqual(missing, []);
  });

  it('the provenance README is kept next to the fixtures', function () {
    assert.ok(fs.existsSync(path.join(root, 'test', 'fixtures', 'providers', 'README.md')));
  });
});
