// Builds BYOK AI.
//   node esbuild.mjs               host + webview + lazily loaded SDK bundles into dist/
//   node esbuild.mjs --production  the same, minified, no source maps (what the VSIX ships)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       only transpile src/ and test/ file by file into out/ for mocha
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

// Each provider SDK is its own bundle in dist/vendor/, required on first use. The host bundle
// refers to it by a relative path so activation never loads (or even parses) an SDK.
const vendorBundles = {
  openai: 'openai',
  anthropic: '@anthropic-ai/sdk',
  gemini: '@google/genai/web',
};
const sdkToVendorFile = new Map(Object.entries(vendorBundles).map(([file, specifier]) => [specifier, `./vendor/${file}.js`]));

/** @type {esbuild.Plugin} */
const lazySdkPlugin = {
  name: 'lazy-sdk',
  setup(build) {
    build.onResolve({ filter: /^(openai|@anthropic-ai\/sdk|@google\/genai\/web)$/ }, args => {
      const target = sdkToVendorFile.get(args.path);
      if (args.kind !== 'dynamic-import') {
        // Type-only imports are erased; a value import would load the SDK at activation.
        return { errors: [{ text: `${args.path} must be loaded with a dynamic import() (see src/providers/sdk.ts)` }] };
      }
      return { path: target, external: true };
    });
  },
};

/** @type {esbuild.Plugin} */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd(result => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [problemMatcherPlugin],
};

const host = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['vscode'],
  plugins: [lazySdkPlugin, problemMatcherPlugin],
};

const vendor = {
  ...common,
  entryPoints: Object.fromEntries(Object.entries(vendorBundles).map(([file, specifier]) => [file, specifier])),
  outdir: 'dist/vendor',
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  // The SDKs use the global fetch, so VS Code's proxy support applies; nothing else is needed.
  external: ['vscode'],
};

const webview = {
  ...common,
  entryPoints: { chat: 'src/webview/ui/chat.ts', providers: 'src/webview/ui/providers.ts' },
  outdir: 'dist/webview',
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  loader: { '.ttf': 'copy' },
};

function copyStaticAssets() {
  const codicons = 'node_modules/@vscode/codicons/dist';
  fs.mkdirSync('dist/webview', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(codicons, file), path.join('dist/webview', file));
  for (const file of fs.readdirSync('src/webview/ui').filter(name => name.endsWith('.css'))) {
    fs.copyFileSync(path.join('src/webview/ui', file), path.join('dist/webview', file));
  }
}

/** Transpiles (no bundling) every .ts under src/ and test/ into out/, keeping the tree, for mocha. */
async function transpileForTests() {
  const files = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  walk('src');
  walk('test');
  fs.rmSync('out', { recursive: true, force: true });
  await esbuild.build({
    entryPoints: files,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

const configurations = [host, vendor, webview];
if (tests) {
  await transpileForTests();
} else if (watch) {
  const contexts = await Promise.all(configurations.map(options => esbuild.context(options)));
  copyStaticAssets();
  await Promise.all(contexts.map(context => context.watch()));
} else {
  fs.rmSync('dist', { recursive: true, force: true });
  await Promise.all(configurations.map(options => esbuild.build(options)));
  copyStaticAssets();
}
