// A provider error as a notification: the same title, fix and actions the chat's error box shows
// (from the one presentation table), with the actions a notification can run.

import * as vscode from 'vscode';
import { errorActionLabels, errorNotificationText, keyStoreHelpUrl, presentError } from '../errorPresentation';
import type { ProviderError } from '../providers/errors';
import type { ProviderDescriptor } from '../providers/registry';
import type { ErrorAction } from '../webview/protocol';

/** Error buttons that run a command (retry and sendAnyway act on a failed request instead). */
const errorActionCommands: Record<Exclude<ErrorAction, 'retry' | 'sendAnyway'>, { command: string; argument?: 'providerId' | string }> = {
  setKey: { command: 'byok.setKey', argument: 'providerId' },
  verify: { command: 'byok.verifyProvider', argument: 'providerId' },
  // No argument: "switch provider" offers the picker (with the failing provider it would re-select it).
  switchProvider: { command: 'byok.switchProvider' },
  openDashboard: { command: 'byok.openDashboard', argument: 'providerId' },
  raiseBudget: { command: 'workbench.action.openSettings', argument: 'byok.budget' },
  openUsage: { command: 'byok.showUsage' },
  keyStoreHelp: { command: 'vscode.open', argument: keyStoreHelpUrl },
};

/** Runs the command behind an error button for the provider the error came from. */
export async function runErrorCommand(action: Exclude<ErrorAction, 'retry' | 'sendAnyway'>, providerId: string): Promise<void> {
  const { command, argument } = errorActionCommands[action];
  if (argument === undefined) await vscode.commands.executeCommand(command);
  else if (argument === 'providerId') await vscode.commands.executeCommand(command, providerId);
  else if (command === 'vscode.open') await vscode.commands.executeCommand(command, vscode.Uri.parse(argument));
  else await vscode.commands.executeCommand(command, argument);
}

/** Runs an error action outside the chat. `retry` is the caller's own "try again", if it has one. */
export async function runErrorAction(action: ErrorAction, providerId: string, retry?: () => unknown): Promise<void> {
  if (action === 'retry') await retry?.();
  else if (action !== 'sendAnyway') await runErrorCommand(action, providerId); // send-anyway belongs to the chat, which knows the refused request
}

/** Shows the error with up to three of its actions as buttons and runs the one chosen. */
export async function showProviderError(descriptor: Pick<ProviderDescriptor, 'id' | 'label' | 'dashboardUrl'>, error: ProviderError, retry?: () => unknown): Promise<void> {
  const info = presentError(error, descriptor.dashboardUrl || undefined);
  const runnable = info.actions.filter(action => action !== 'retry' || retry !== undefined)
    .filter(action => !['raiseBudget', 'sendAnyway', 'openUsage'].includes(action)).slice(0, 3);
  const choice = await vscode.window.showErrorMessage(errorNotificationText(descriptor.label, info), ...runnable.map(action => errorActionLabels[action]));
  const action = runnable.find(each => errorActionLabels[each] === choice);
  if (action) await runErrorAction(action, descriptor.id, retry);
}
