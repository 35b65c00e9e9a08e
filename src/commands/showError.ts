// A provider error as a notification: the same title, fix and actions the chat's error box shows
// (from the one presentation table), with the actions a notification can run.

import * as vscode from 'vscode';
import { errorActionLabels, errorNotificationText, keyStoreHelpUrl, presentError } from '../errorPresentation';
import type { ProviderError } from '../providers/errors';
import type { ProviderDescriptor } from '../providers/registry';
import type { ErrorAction } from '../webview/protocol';

/** Runs an error action outside the chat. `retry` is the caller's own "try again", if it has one. */
export async function runErrorAction(action: ErrorAction, providerId: string, dashboardUrl: string | undefined, retry?: () => unknown): Promise<void> {
  switch (action) {
    case 'setKey': await vscode.commands.executeCommand('byok.setKey', providerId); return;
    case 'verify': await vscode.commands.executeCommand('byok.verifyProvider', providerId); return;
    case 'switchProvider': await vscode.commands.executeCommand('byok.switchProvider'); return;
    case 'openDashboard': if (dashboardUrl) await vscode.env.openExternal(vscode.Uri.parse(dashboardUrl)); return;
    case 'keyStoreHelp': await vscode.env.openExternal(vscode.Uri.parse(keyStoreHelpUrl)); return;
    case 'retry': await retry?.(); return;
    default: return; // budget actions belong to the chat, which knows the refused request
  }
}

/** Shows the error with up to three of its actions as buttons and runs the one chosen. */
export async function showProviderError(descriptor: Pick<ProviderDescriptor, 'id' | 'label' | 'dashboardUrl'>, error: ProviderError, retry?: () => unknown): Promise<void> {
  const info = presentError(error, descriptor.dashboardUrl || undefined);
  const runnable = info.actions.filter(action => action !== 'retry' || retry !== undefined)
    .filter(action => !['raiseBudget', 'sendAnyway', 'openUsage'].includes(action)).slice(0, 3);
  const choice = await vscode.window.showErrorMessage(errorNotificationText(descriptor.label, info), ...runnable.map(action => errorActionLabels[action]));
  const action = runnable.find(each => errorActionLabels[each] === choice);
  if (action) await runErrorAction(action, descriptor.id, descriptor.dashboardUrl || undefined, retry);
}
