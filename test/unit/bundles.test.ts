// The bundle layout esbuild.mjs promises: activation loads a tiny bundle of registrations, and a module
// that the activation bundle or the services chunk holds is held there only, so every chunk that uses
// it gets that one instance (one key redaction list, one ProviderError class for `instanceof`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../fakes/repoRoot';

/** Bundle file → the src/ modules in it (an unminified build marks each with `// src/…`). */
function modulesByBundle(dist: string): Map<string, Set<string>> {
  const bundles = new Map<string, Set<string>>();
  for (const file of fs.readdirSync(dist).filter(name => name.endsWith('.js'))) {
    const source = fs.readFileSync(path.join(dist, file), 'utf8');
    bundles.set(file, new Set([...source.matchAll(/^\/\/ (src\/\S+\.ts)$/gm)].map(match => match[1]!)));
  }
  return bundles;
}

describe('bundle layout (esbuild.mjs lazyChunks)', function () {
  this.timeout(60_000);
  let dist: string;
  let bundles: Map<string, Set<string>>;

  before(() => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-bundles-'));
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, env: { ...process.env, BYOK_DIST_DIR: dist }, stdio: 'pipe' });
    bundles = modulesByBundle(dist);
  });

  after(() => fs.rmSync(dist, { recursive: true, force: true }));

  it('builds the activation bundle and the chunks', () => {
    assert.deepEqual([...bundles.keys()].sort(), ['adapters.js', 'core.js', 'cost.js', 'extension.js', 'services.js', 'settingsParsing.js']);
  });

  it('keeps the activation bundle to registrations: no settings, key store, provider state, log or router', () => {
    const host = [...bundles.get('extension.js')!].sort();
    assert.ok(host.includes('src/extension.ts'));
    for (const module of ['src/config/settings.ts', 'src/config/secrets.ts', 'src/providerState/store.ts', 'src/log.ts', 'src/providers/registry.ts', 'src/router.ts', 'src/statusBar.ts', 'src/cost/costHost.ts']) {
      assert.ok(!host.includes(module), `${module} is in dist/extension.js: ${host.join(', ')}`);
    }
    assert.ok(host.length <= 6, `dist/extension.js holds ${host.length} modules: ${host.join(', ')}`);
  });

  it('loads the vscode API without copying it (named imports, no namespace import, in the activation bundle)', () => {
    const host = fs.readFileSync(path.join(dist, 'extension.js'), 'utf8');
    assert.match(host, /require\("vscode"\)/);
    assert.doesNotMatch(host, /__toESM\(|__reExport\(|__copyProps\(\w+, require\("vscode"\)/);
  });

  it('holds each module of the activation bundle and the services chunk in that bundle only', () => {
    for (const owner of ['extension.js', 'services.js']) {
      for (const module of bundles.get(owner)!) {
        const holders = [...bundles].filter(([, modules]) => modules.has(module)).map(([file]) => file);
        assert.deepEqual(holders, [owner], `${module}`);
      }
    }
  });

  it('gives the chunks the shared instances through __lazyShared', () => {
    const core = fs.readFileSync(path.join(dist, 'core.js'), 'utf8');
    assert.match(core, /require\("\.\/services\.js"\)\.__lazyShared\["src\/providers\/registry\.ts"\]/);
    assert.match(core, /require\("\.\/services\.js"\)\.__lazyShared\["src\/providers\/errors\.ts"\]/);
  });
});
