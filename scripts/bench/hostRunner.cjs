// Runs inside the real extension host (code-server test mode, loaded as extensionTestsPath). It is
// copied into each measured extension's folder (extensionTestsPath must lie inside
// extensionDevelopmentPath), activates that extension, and prints one `BYOK_BENCH {json}` line,
// which reaches the bench through codeAutomationLog.
// `extension.activate()` is timed from here, so the figure includes VS Code loading the main
// module (require of dist/extension.js), creating the ExtensionContext and calling activate().
const path = require('node:path');
const vscode = require('vscode');

exports.run = async function run() {
  const root = path.resolve(__dirname, '..');
  const manifest = require(path.join(root, 'package.json'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const extension = vscode.extensions.getExtension(id);
  const result = { id, found: Boolean(extension), alreadyActive: extension ? extension.isActive : null, hostUptimeMs: performance.now() };
  if (!extension) {
    console.log(`BYOK_BENCH ${JSON.stringify(result)}`);
    return;
  }
  const vendorModules = () => Object.keys(require.cache).filter(file => /[\\/]dist[\\/]vendor[\\/]/.test(file)).map(file => path.relative(root, file));
  const before = performance.now();
  const api = await extension.activate();
  const after = performance.now();
  result.activateMs = after - before;
  if (api && api.activatedAt) {
    result.ownSpanMs = api.activatedAt.end - api.activatedAt.start;
    // From the runner's call to the first line of activate(): loading the module and VS Code's own work.
    result.beforeActivateMs = api.activatedAt.start - before;
  }
  result.sdkModulesAtActivation = api && Array.isArray(api.sdkModulesAtActivation) ? api.sdkModulesAtActivation : null;
  result.vendorModulesRightAfter = vendorModules();
  // Work activation started but did not await (key presence, status bar) must not load an SDK either.
  await new Promise(resolve => setTimeout(resolve, 1000));
  result.vendorModulesOneSecondLater = vendorModules();
  console.log(`BYOK_BENCH ${JSON.stringify(result)}`);
};
