// Builds what the bench measures from a snapshot of the working tree in a temp dir, so it never
// rewrites the dist/ and out/ other runs in this checkout use (and they never change ours midway):
//   - the VSIX, exactly `npm run package -- --out <tmp>/byok.vsix` under Node 24 (vsce runs
//     vscode:prepublish = node esbuild.mjs --production), then unpacked: activation and the webview
//     are measured on the shipped files;
//   - the plain-Node bench entries (scripts/bench/*.ts, importing src/ and test/fakes/) bundled with
//     esbuild, packages left external (resolved from the repository's node_modules).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { harnessEnv, readPackageJson, repoRoot, run } from '../harness.mjs';
import { extractZip, listZip } from './zip.mjs';

/** Top-level entries of the working tree that are build output, caches or results, never sources. */
const notSources = new Set(['.git', 'node_modules', 'dist', 'out', 'test-results', '.vscode-test', '.byok-dev', 'bench']);

/** Copies the working tree (sources only) to `directory` and links node_modules. */
export function snapshotWorkingTree(directory) {
  fs.mkdirSync(directory, { recursive: true });
  for (const entry of fs.readdirSync(repoRoot)) {
    if (notSources.has(entry) || entry.endsWith('.vsix')) continue;
    fs.cpSync(path.join(repoRoot, entry), path.join(directory, entry), { recursive: true, verbatimSymlinks: true });
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(directory, 'node_modules'), 'dir');
  return directory;
}

/** `npm run package` in the snapshot; returns the VSIX path, its entries and the unpacked extension folder. */
export async function packageVsix(snapshot, workDirectory) {
  const { name, version } = readPackageJson();
  const vsix = path.join(workDirectory, `${name}-${version}.vsix`);
  const started = Date.now();
  const result = await run('npm', ['run', 'package', '--', '--out', vsix], { cwd: snapshot, env: harnessEnv(), quiet: true, timeoutMs: 300_000 });
  if (result.code !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`npm run package failed (exit ${result.code}):\n${result.output.split('\n').slice(-25).join('\n')}`);
  }
  const buffer = fs.readFileSync(vsix);
  const entries = listZip(buffer);
  const extension = path.join(workDirectory, 'extension', name);
  extractZip(buffer, 'extension/', extension);
  return { vsix, bytes: buffer.length, entries, extension, seconds: (Date.now() - started) / 1000 };
}

/** Bundles the plain-Node bench entries of the snapshot into <snapshot>/.bench/*.cjs. */
export async function bundleBenchEntries(snapshot) {
  const outdir = path.join(snapshot, '.bench');
  await esbuild.build({
    absWorkingDir: snapshot,
    entryPoints: { routerBench: 'scripts/bench/routerBench.ts', memoryBench: 'scripts/bench/memoryBench.ts', costBench: 'scripts/bench/costBench.ts', compareBench: 'scripts/bench/compareBench.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // The chat pipeline runs the real ChatViewProvider, so `vscode` is replaced by a small stand-in.
  await esbuild.build({
    absWorkingDir: snapshot,
    entryPoints: { pipelineBench: 'scripts/bench/pipelineBench.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    packages: 'external',
    alias: { vscode: './scripts/bench/pipelineVscodeStub.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // The webview's HTML shell, with a stand-in for the two `vscode` members it touches (Uri.joinPath
  // and the Webview passed in), so the bench serves the very markup and CSP the extension renders.
  await esbuild.build({
    absWorkingDir: snapshot,
    entryPoints: { webviewHtml: 'src/webview/html.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'warning',
    plugins: [{
      name: 'vscode-stub',
      setup(build) {
        build.onResolve({ filter: /^vscode$/ }, () => ({ path: 'vscode', namespace: 'vscode-stub' }));
        build.onLoad({ filter: /.*/, namespace: 'vscode-stub' }, () => ({
          loader: 'js',
          contents: `export class Uri {
  constructor(path) { this.path = path; }
  static joinPath(base, ...parts) { return new Uri([base.path, ...parts].join('/').replace(/\\/+/g, '/')); }
  toString() { return this.path; }
}`,
        }));
      },
    }],
  });
  return {
    routerBench: path.join(outdir, 'routerBench.cjs'),
    memoryBench: path.join(outdir, 'memoryBench.cjs'),
    pipelineBench: path.join(outdir, 'pipelineBench.cjs'),
    costBench: path.join(outdir, 'costBench.cjs'),
    compareBench: path.join(outdir, 'compareBench.cjs'),
    webviewHtml: path.join(outdir, 'webviewHtml.cjs'),
  };
}

/** Package figures from the VSIX's own entries (uncompressed sizes of the shipped files). */
export function packageFigures(packaged) {
  const files = packaged.entries.filter(entry => !entry.name.endsWith('/'));
  const size = name => files.find(entry => entry.name === name)?.size;
  const under = (prefix, pattern) => files
    .filter(entry => entry.name.startsWith(prefix) && pattern.test(entry.name.slice(prefix.length)))
    .map(entry => ({ file: entry.name.replace(/^extension\//, ''), bytes: entry.size, compressedBytes: entry.compressedSize }));
  return {
    vsixBytes: packaged.bytes,
    fileCount: files.length,
    extensionFileCount: files.filter(entry => entry.name.startsWith('extension/')).length,
    hostBundleBytes: size('extension/dist/extension.js'),
    // dist/core.js and dist/adapters.js (required on first use) and the SDKs in dist/vendor/.
    lazyChunks: [...under('extension/dist/', /^(?!extension\.js$)[^/]+\.js$/), ...under('extension/dist/vendor/', /^[^/]+\.js$/)],
    webviewBundles: under('extension/dist/webview/', /^[^/]+\.js$/),
    webviewAssets: under('extension/dist/webview/', /^[^/]+\.(css|ttf)$/),
    files: files.map(entry => ({ file: entry.name, bytes: entry.size, compressedBytes: entry.compressedSize })),
  };
}
