// Builds BYOK AI.
//   node esbuild.mjs               host + webview + lazily loaded SDK bundles into dist/
//   node esbuild.mjs --production  the same, minified, no source maps (what the VSIX ships)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       only transpile src/ and test/ file by file into out/ for mocha
// BYOK_DIST_DIR=<dir> builds into <dir> instead of dist/ (to measure a build without touching dist/).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const distDirectory = process.env.BYOK_DIST_DIR || 'dist';

// Each provider SDK is its own bundle in dist/vendor/, required on first use. The host bundle
// refers to it by a relative path so activation never loads (or even parses) an SDK.
const vendorBundles = {
  openai: 'openai',
  anthropic: '@anthropic-ai/sdk',
  gemini: '@google/genai/web',
  // The price table (480 KB) is loaded on the first cost or budget check, never at activation.
  genaiPrices: '@pydantic/genai-prices',
};
const sdkToVendorFile = new Map(Object.entries(vendorBundles).map(([file, specifier]) => [specifier, `./vendor/${file}.js`]));

/** @type {esbuild.Plugin} */
const lazySdkPlugin = {
  name: 'lazy-sdk',
  setup(build) {
    build.onResolve({ filter: /^(openai|@anthropic-ai\/sdk|@google\/genai\/web|@pydantic\/genai-prices)$/ }, args => {
      const target = sdkToVendorFile.get(args.path);
      if (args.kind !== 'dynamic-import') {
        // Type-only imports are erased; a value import would load the SDK at activation.
        return { errors: [{ text: `${args.path} must be loaded with a dynamic import() (see src/providers/sdk.ts)` }] };
      }
      return { path: target, external: true };
    });
  },
};

/**
 * One copy of the vscode API namespace for the whole host bundle. In a CommonJS bundle, esbuild turns
 * each file's `import * as vscode from 'vscode'` into its own `__toESM(require('vscode'))`, which
 * copies every property of the API object (hundreds) once per importing file, at load. Here every
 * import of 'vscode' resolves to one internal module, `export * from 'vscode'`, so the copy happens
 * once, however many files use the API.
 * @type {esbuild.Plugin}
 */
const vscodeOncePlugin = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, args => (args.namespace === 'vscode-once'
      ? { path: 'vscode', external: true }
      : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

// Lazily required chunks: output name → entry. Code loads one with a plain `require('<path of the
// entry>')` or `await import('<path>')` (src/extension.ts the services on the tick after activation
// and the core on a command or a view being resolved; the provider catalog the adapters on the first
// request; the cost host its service on the first priced request or the spend warm-up; settings.ts
// the zod parsers once a custom endpoint list or the timeouts need parsing), so activation neither
// parses nor runs it.
// A module that a chunk shares with the host bundle or with the services chunk is not copied into it:
// that bundle exports it (as `__lazyShared`) and the chunk takes that very instance, so module state
// and `instanceof` stay one. Which modules those are is worked out on every build (see sharingPlan).
const lazyChunks = fs.existsSync('src/core.ts')
  ? { services: 'src/services.ts', core: 'src/core.ts', adapters: 'src/providers/index.ts', cost: 'src/cost/costService.ts', settingsParsing: 'src/config/settingsParsing.ts' }
  : {};
const hostEntry = 'src/extension.ts';
const chunkOfEntry = new Map(Object.entries(lazyChunks).map(([name, entry]) => [path.resolve(entry), name]));
// The bundles other chunks take shared modules from, in load order: the host bundle is loaded at
// activation, the services right after, and every other chunk only once both are loaded.
const sharingBundles = lazyChunks.services ? [['extension', hostEntry], ['services', lazyChunks.services]] : [['extension', hostEntry]];

/** @type {esbuild.Plugin} */
const lazyChunkPlugin = {
  name: 'lazy-chunk',
  setup(build) {
    if (!chunkOfEntry.size) return;
    build.onResolve({ filter: /^\./ }, async args => {
      if (args.pluginData?.resolving || args.kind === 'entry-point') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { resolving: true } });
      const name = chunkOfEntry.get(resolved.path);
      if (!name) return undefined;
      if (args.kind !== 'require-call' && args.kind !== 'dynamic-import') {
        return { errors: [{ text: `${args.path} is the lazily loaded chunk '${name}': load it with require() or import() on first use, never import it statically (see esbuild.mjs lazyChunks)` }] };
      }
      return { path: `./${name}.js`, external: true };
    });
  },
};

/** Source files (relative, '/') in a bundle of `entry`, lazy chunks and SDKs left out. */
async function bundleInputs(entry) {
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'node', format: 'cjs', target: 'node22',
    logLevel: 'silent', plugins: [vscodeOncePlugin, lazySdkPlugin, lazyChunkPlugin],
  });
  return Object.keys(result.metafile.inputs).filter(file => /^src\/.*\.ts$/.test(file));
}

/**
 * Who gives which module to whom: `exports` (bundle → the src/ modules it exports) and `owners`
 * (chunk → src/ module → the bundle it takes it from: the first sharing bundle loaded before it that
 * bundles the module itself).
 */
async function computeSharingPlan() {
  const names = [['extension', hostEntry], ...Object.entries(lazyChunks)];
  const inputs = new Map(await Promise.all(names.map(async ([name, entry]) => [name, new Set(await bundleInputs(entry))])));
  const exports = new Map(sharingBundles.map(([name]) => [name, new Set()]));
  const owners = new Map();
  for (const chunk of Object.keys(lazyChunks)) {
    // A sharing bundle takes only from those loaded before it; any other chunk from all of them.
    const position = sharingBundles.findIndex(([name]) => name === chunk);
    const earlier = sharingBundles.slice(0, position < 0 ? sharingBundles.length : position).map(([name]) => name);
    const owned = new Map();
    for (const file of inputs.get(chunk)) {
      const owner = earlier.find(name => inputs.get(name).has(file));
      if (!owner) continue;
      owned.set(file, owner);
      exports.get(owner).add(file);
    }
    owners.set(chunk, owned);
  }
  return { exports: new Map([...exports].map(([name, files]) => [name, [...files].sort()])), owners };
}

// One plan per build (in watch mode, per rebuild: every configuration asks at its start).
let sharingPlanPromise;
function sharingPlan() {
  if (watch || !sharingPlanPromise) sharingPlanPromise = computeSharingPlan();
  return sharingPlanPromise;
}

/**
 * Sharing side (the host bundle, the services chunk): appends
 * `export const __lazyShared = { 'src/x.ts': namespace of x, … }` to its entry for the modules later
 * chunks take from it.
 * @param {string} bundle  a name in sharingBundles
 * @returns {esbuild.Plugin}
 */
function exportSharedPlugin(bundle) {
  const entry = path.resolve(Object.fromEntries(sharingBundles)[bundle]);
  return {
    name: `export-shared-${bundle}`,
    setup(build) {
      if (!Object.keys(lazyChunks).length) return;
      let shared = [];
      build.onStart(async () => { shared = (await sharingPlan()).exports.get(bundle); });
      build.onLoad({ filter: /\.ts$/ }, async args => {
        if (path.resolve(args.path) !== entry) return undefined;
        const source = await fs.promises.readFile(args.path, 'utf8');
        const from = path.posix.dirname(path.relative('.', entry).split(path.sep).join('/'));
        const imports = shared.map((file, index) => `import * as __shared${index} from ${JSON.stringify(`./${path.posix.relative(from, file).replace(/\.ts$/, '')}`)};`);
        const table = shared.map((file, index) => `${JSON.stringify(file)}: __shared${index}`).join(', ');
        return { contents: `${source}\n${imports.join('\n')}\nexport const __lazyShared = { ${table} };\n`, loader: 'ts' };
      });
    },
  };
}

/**
 * Taking side (every lazy chunk): an import of a module another bundle gives becomes
 * `require('./<bundle>.js').__lazyShared[file]`, that bundle's own instance (it is loaded before this
 * chunk, so this is a require-cache hit).
 * @param {string} chunk  a name in lazyChunks
 * @returns {esbuild.Plugin}
 */
function importSharedPlugin(chunk) {
  return {
    name: `import-shared-${chunk}`,
    setup(build) {
      let owned = new Map();
      build.onStart(async () => { owned = (await sharingPlan()).owners.get(chunk) ?? new Map(); });
      build.onResolve({ filter: /^\./ }, async args => {
        if (args.namespace === 'shared') return { path: args.path, external: true };
        if (args.pluginData?.resolving) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { resolving: true } });
        if (resolved.errors.length || resolved.external) return resolved;
        const file = path.relative('.', resolved.path).split(path.sep).join('/');
        return owned.has(file) ? { path: file, namespace: 'shared', pluginData: { owner: owned.get(file) } } : resolved;
      });
      build.onLoad({ filter: /.*/, namespace: 'shared' }, args => ({
        contents: `module.exports = require('./${args.pluginData.owner}.js').__lazyShared[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

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
  outfile: `${distDirectory}/extension.js`,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  // No vscodeOncePlugin here: its one `export * from 'vscode'` still copies the API's ~350 properties
  // (about a millisecond at activation). The few files of this bundle use named imports from 'vscode',
  // which esbuild turns into a plain require('vscode') with nothing copied (test/unit/bundles.test.ts).
  external: ['vscode'],
  plugins: [lazySdkPlugin, lazyChunkPlugin, exportSharedPlugin('extension'), problemMatcherPlugin],
};

const chunks = Object.entries(lazyChunks).map(([name, entry]) => ({
  ...common,
  entryPoints: { [name]: entry },
  outdir: distDirectory,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  plugins: [
    lazyChunkPlugin, importSharedPlugin(name), ...(sharingBundles.some(([bundle]) => bundle === name) ? [exportSharedPlugin(name)] : []),
    vscodeOncePlugin, lazySdkPlugin, problemMatcherPlugin,
  ],
}));

const vendor = {
  ...common,
  entryPoints: Object.fromEntries(Object.entries(vendorBundles).map(([file, specifier]) => [file, specifier])),
  outdir: `${distDirectory}/vendor`,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  // The SDKs use the global fetch, so VS Code's proxy support applies; nothing else is needed.
  external: ['vscode'],
};

const webview = {
  ...common,
  entryPoints: { chat: 'src/webview/ui/chat.ts', providers: 'src/webview/ui/providers.ts', usage: 'src/webview/ui/usage.ts', compare: 'src/webview/ui/compare.ts' },
  outdir: `${distDirectory}/webview`,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  loader: { '.ttf': 'copy' },
};

function copyStaticAssets() {
  const codicons = 'node_modules/@vscode/codicons/dist';
  const webviewDirectory = path.join(distDirectory, 'webview');
  fs.mkdirSync(webviewDirectory, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(codicons, file), path.join(webviewDirectory, file));
  // uPlot's stylesheet, imported by usage.css (the chart library itself is bundled into usage.js only).
  fs.copyFileSync('node_modules/uplot/dist/uPlot.min.css', path.join(webviewDirectory, 'uPlot.min.css'));
  for (const file of fs.readdirSync('src/webview/ui').filter(name => name.endsWith('.css'))) {
    fs.copyFileSync(path.join('src/webview/ui', file), path.join(webviewDirectory, file));
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
  // BYOK_OUT_DIR lets several checkouts' worth of work compile side by side (default out/).
  const outdir = process.env.BYOK_OUT_DIR || 'out';
  fs.rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: files,
    outdir,
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

const configurations = [host, ...chunks, vendor, webview];
if (tests) {
  await transpileForTests();
} else if (watch) {
  const contexts = await Promise.all(configurations.map(options => esbuild.context(options)));
  copyStaticAssets();
  await Promise.all(contexts.map(context => context.watch()));
} else {
  fs.rmSync(distDirectory, { recursive: true, force: true });
  await Promise.all(configurations.map(options => esbuild.build(options)));
  copyStaticAssets();
}
