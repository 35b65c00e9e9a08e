// Shared setup for the in-host tests: the activated extension's API, a fake provider server the
// user's settings point at, helpers to wait for settings to land, and a slow answer to cancel.
import type * as http from 'node:http';
import * as vscode from 'vscode';
import type { ByokApi } from '../../src/extension';
import type { RecordedRequest } from '../fakes/fakeProviderServer';

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
  for (const name of ['baseUrls', 'customEndpoints', 'providers', 'selectedProvider', 'refactor.showDiff', 'chat.maxOutputTokens', 'keys.rotateAfterDays']) {
    await configuration().update(name, undefined, vscode.ConfigurationTarget.Global);
    if (vscode.workspace.workspaceFolders?.length) await configuration().update(name, undefined, vscode.ConfigurationTarget.Workspace).then(undefined, () => undefined);
  }
}

/**
 * A fake OpenAI Chat Completions route that streams "w0 w1 …" slowly (400 words, 25 ms apart) until
 * the client hangs up: an answer to cancel midway.
 */
export async function streamSlowly(_request: RecordedRequest, response: http.ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (let index = 0; index < 400 && !response.destroyed; index++) {
    response.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `w${index} ` }, finish_reason: null }] })}\n\n`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  response.end();
}
