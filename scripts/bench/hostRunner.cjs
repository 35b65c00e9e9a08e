// Runs inside the real extension host (code-server test mode, loaded as extensionTestsPath). It is
// copied into each measured extension's folder (extensionTestsPath must lie inside
// extensionDevelopmentPath), waits until the host has settled after startup, activates that
// extension, and prints one `BYOK_BENCH {json}` line, which reaches the bench via codeAutomationLog.
// `extension.activate()` is timed from here, so the figure includes VS Code loading the main module
// (require of dist/extension.js), creating the ExtensionContext and calling activate().
const path = require('node:path');
const vscode = require('vscode');

/**
 * Waits until timers in this host fire on time for a while: right after startup the host and the
 * workbench are busy (built-in extensions, storage, the renderer loading), and an activation measured
 * then mostly measures that queue.
 */
async function settle({ minimumMs = 1000, quietMs = 400, maximumMs = 10_000, toleranceMs = 4 } = {}) {
  const started = performance.now();
  let quietSince = started;
  while (performance.now() - started < maximumMs) {
    const before = performance.now();
    await new Promise(resolve => setTimeout(resolve, 20));
    if (performance.now() - before - 20 > toleranceMs) quietSince = performance.now();
    if (performance.now() - started >= minimumMs && performance.now() - quietSince >= quietMs) break;
  }
  return performance.now() - started;
}

/**
 * BYOK_BENCH_PROFILE=<dir> (set by the bench from BYOK_BENCH_PROFILE_ACTIVATION): a CPU profile of the
 * activation, for DevTools. The profiler slows the host down, so such a run's figures are only a guide.
 */
async function startProfiler() {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, parameters) => new Promise((resolve, reject) => session.post(method, parameters, (error, value) => (error ? reject(error) : resolve(value))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      require('node:fs').writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

exports.run = async function run() {
  const root = path.resolve(__dirname, '..');
  const manifest = require(path.join(root, 'package.json'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const extension = vscode.extensions.getExtension(id);
  const result = {
    id, found: Boolean(extension), alreadyActive: extension ? extension.isActive : null, hostUptimeMs: performance.now(),
    extensions: vscode.extensions.all.length,
    // A bundle's `import * as vscode` (esbuild __toESM) copies each of these once per importing file.
    vscodeApiProperties: Object.getOwnPropertyNames(vscode).length,
  };
  if (!extension) {
    console.log(`BYOK_BENCH ${JSON.stringify(result)}`);
    return;
  }
  result.settleMs = await settle();
  result.activeExtensionsBefore = vscode.extensions.all.filter(each => each.isActive).length;
  result.alreadyActive = extension.isActive;
  // Times VS Code's require() of the extension's main module, to split "before activate()" into
  // loading the code and the rest (creating the ExtensionContext and VS Code's bookkeeping).
  const Module = require('node:module');
  const mainFile = require.resolve(path.resolve(root, manifest.main));
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    let resolved;
    try { resolved = Module._resolveFilename(request, parent, isMain); } catch { resolved = undefined; }
    if (resolved !== mainFile) return originalLoad.apply(this, arguments);
    const started = performance.now();
    result.moduleLoadStartedAt ??= started;
    try {
      return originalLoad.apply(this, arguments);
    } finally {
      result.moduleLoadEndedAt = performance.now();
      result.moduleLoadMs = (result.moduleLoadMs ?? 0) + result.moduleLoadEndedAt - started;
    }
  };
  const vendorModules = () => Object.keys(require.cache).filter(file => /[\\/]dist[\\/]vendor[\\/]/.test(file)).map(file => path.relative(root, file));
  const profiler = process.env.BYOK_BENCH_PROFILE ? await startProfiler() : undefined;
  const before = performance.now();
  let api;
  try {
    api = await extension.activate();
  } finally {
    Module._load = originalLoad;
  }
  const after = performance.now();
  if (profiler) result.profile = await profiler.stop(path.join(process.env.BYOK_BENCH_PROFILE, `${manifest.name}-${Date.now()}.cpuprofile`));
  result.activateMs = after - before;
  if (api && api.activatedAt) {
    result.ownSpanMs = api.activatedAt.end - api.activatedAt.start;
    // From the runner's call to the first line of activate(): loading the module and VS Code's own work
    // (before the load, and between the load and the call: creating the ExtensionContext).
    result.beforeActivateMs = api.activatedAt.start - before;
    if (result.moduleLoadStartedAt !== undefined) {
      result.beforeLoadMs = result.moduleLoadStartedAt - before;
      result.loadToActivateMs = api.activatedAt.start - result.moduleLoadEndedAt;
    }
    result.afterActivateMs = after - api.activatedAt.end;
  }
  result.sdkModulesAtActivation = api && Array.isArray(api.sdkModulesAtActivation) ? api.sdkModulesAtActivation : null;
  result.vendorModulesRightAfter = vendorModules();
  if (result.sdkModulesAtActivation) {
    // Work activation started but did not await (key presence, status bar) must not load an SDK either.
    await new Promise(resolve => setTimeout(resolve, 1000));
    result.vendorModulesOneSecondLater = vendorModules();
  }
  console.log(`BYOK_BENCH ${JSON.stringify(result)}`);
};
