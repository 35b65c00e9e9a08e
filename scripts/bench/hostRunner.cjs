// Runs inside the real extension host (code-server test mode, loaded as extensionTestsPath). It is
// copied into each measured extension's folder (extensionTestsPath must lie inside
// extensionDevelopmentPath), waits until the host has settled after startup, activates that
// extension, and prints one `BYOK_BENCH {json}` line, which reaches the bench via codeAutomationLog.
// `extension.activate()` is timed from here, so the figure includes VS Code loading the main module
// (require of dist/extension.js), creating the ExtensionContext and calling activate().
const path = require('node:path');
const vscode = require('vscode');

/** Idle and total CPU time of the whole machine (all cores), from /proc/stat; undefined where there is none. */
function machineCpu() {
  try {
    const fields = require('node:fs').readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: fields[3] + (fields[4] || 0), total: fields.reduce((sum, value) => sum + value, 0) };
  } catch {
    return undefined;
  }
}

/**
 * Waits until the machine is quiet: timers in this host fire on time, and (where /proc/stat exists)
 * the whole machine — the workbench renderer, the server, this host — stays mostly idle for a while.
 * Right after startup the renderer is still loading the workbench and the host its built-in
 * extensions; on a 2-core machine an activation measured then mostly measures that queue (a 1e6-step
 * loop ran 2 to 20 ms, and one 50 KB compile 1.5 to 15 ms, in the same second). Both subjects get the
 * same wait, so the comparison stays fair; `quiet` says whether it was reached within maximumMs.
 */
async function settle({ minimumMs = 1000, quietMs = 600, maximumMs = 20_000, toleranceMs = 4, windowMs = 100, busyPercent = 20 } = {}) {
  const started = performance.now();
  let quietSince = started;
  let cpu = machineCpu();
  let windowStarted = performance.now();
  while (performance.now() - started < maximumMs) {
    const before = performance.now();
    await new Promise(resolve => setTimeout(resolve, 20));
    if (performance.now() - before - 20 > toleranceMs) quietSince = performance.now();
    if (cpu && performance.now() - windowStarted >= windowMs) {
      const now = machineCpu();
      const busy = now.total > cpu.total ? 100 * (1 - (now.idle - cpu.idle) / (now.total - cpu.total)) : 0;
      if (busy > busyPercent) quietSince = performance.now();
      cpu = now;
      windowStarted = performance.now();
    }
    if (performance.now() - started >= minimumMs && performance.now() - quietSince >= quietMs) {
      return { settleMs: performance.now() - started, quiet: true };
    }
  }
  return { settleMs: performance.now() - started, quiet: false };
}

/** A full garbage collection (exposes gc() for this host if it is not). */
function collectGarbage() {
  require('node:v8').setFlagsFromString('--expose-gc');
  require('node:vm').runInNewContext('gc')();
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
  Object.assign(result, await settle());
  // A full collection now, and a moment for V8's background sweeping to finish: the settle loop's
  // garbage would otherwise trigger a collection at a random point, inside one subject's window or
  // the other's.
  collectGarbage();
  await new Promise(resolve => setTimeout(resolve, 100));
  result.activeExtensionsBefore = vscode.extensions.all.filter(each => each.isActive).length;
  result.alreadyActive = extension.isActive;
  // Times VS Code's require() of the extension's main module, to split "before activate()" into
  // loading the code and the rest (creating the ExtensionContext and VS Code's bookkeeping).
  const Module = require('node:module');
  const mainFile = require.resolve(path.resolve(root, manifest.main));
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    // VS Code requires the main module by its absolute path. Anything else (the extension's own
    // require('vscode'), which cannot be resolved as a file) passes straight through: resolving it
    // here would throw, and the cost of that exception would be charged to every require it makes.
    if (!path.isAbsolute(request)) return originalLoad.apply(this, arguments);
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
