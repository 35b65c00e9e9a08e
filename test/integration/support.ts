// Shared setup for the in-host tests: the activated extension's API, a fake provider server the
// user's settings point at, and helpers to wait for settings to land.
import * as vscode from 'vscode';
import type { ByokApi } from '../../src/extension';

export const extensionId = 'byok-ai.byok-ai';

export async function byokApi(): Promise<ByokApi> {
  const extension = vscode.extensions.getExtension<ByokApi>(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded`);
  return extension.activate();
}

export function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('byok');
}

/** Resolves once `check` holds, polling; fails with `what` after the timeout. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** Points a built-in provider at a local server through the user's own settings. */
export async function pointProviderAt(providerId: string, baseUrl: string): Promise<void> {
  const current = configuration().inspect<Record<string, string>>('baseUrls')?.globalValue ?? {};
  await configuration().update('baseUrls', { ...current, [providerId]: baseUrl }, vscode.ConfigurationTarget.Global);
}

export async function resetUserSettings(): Promise<void> {
  for (const name of ['baseUrls', 'customEndpoints', 'providers', 'selectedProvider', 'refactor.showDiff']) {
    await configuration().update(name, undefined, vscode.ConfigurationTarget.Global);
    if (vscode.workspace.workspaceFolders?.length) await configuration().update(name, undefined, vscode.ConfigurationTarget.Workspace).then(undefined, () => undefined);
  }
}
