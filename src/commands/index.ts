// The command table: id → handler factory. `activate` registers every id of
// `contributes.commands` at once; the handlers are built with the core (src/core.ts) on first use.
// A unit test checks this table equals `contributes.commands` in package.json.

import * as vscode from 'vscode';
import { deleteChat, exportChat, renameChat } from './chatCommands';
import { cancelEditorRequests, explain, refactor } from './editorCommands';
import { addCustomEndpoint, editCustomEndpoint, removeCustomEndpoint } from './endpointCommands';
import {
  deleteKey, openDashboard, refreshModels, selectModel, setActivation, setKey, switchProvider, verifyAll, verifyProvider,
} from './providerCommands';
import { deletePreset, duplicatePreset, editPreset, newPreset, runPresetCommand, saveAsPreset } from '../presets/presetCommands';
import { comparePanelFor } from '../webview/comparePanel';
import type { CommandContext } from './types';
import { providersViewId } from '../webview/providersViewProvider';

type Handler = (...args: unknown[]) => unknown;

export const commandTable: Record<string, (context: CommandContext) => Handler> = {
  'byok.openChat': context => () => context.chatView.reveal(),
  'byok.newChat': context => async () => { await context.chatView.reveal(); await context.chat.newChat(); },
  'byok.stopRequest': context => () => { context.chat.cancelAll(); cancelEditorRequests(); },
  'byok.exportChat': context => argument => exportChat(context, argument),
  'byok.renameChat': context => argument => renameChat(context, argument),
  'byok.deleteChat': context => argument => deleteChat(context, argument),
  'byok.setKey': context => argument => setKey(context, argument),
  'byok.deleteKey': context => argument => deleteKey(context, argument),
  'byok.activateProvider': context => argument => setActivation(context, true, argument),
  'byok.deactivateProvider': context => argument => setActivation(context, false, argument),
  'byok.selectModel': context => (argument, model) => selectModel(context, argument, model),
  'byok.refreshModels': context => argument => refreshModels(context, argument),
  'byok.switchProvider': context => argument => switchProvider(context, argument),
  'byok.verifyProvider': context => argument => verifyProvider(context, argument),
  'byok.verifyAll': context => () => verifyAll(context),
  'byok.openDashboard': context => argument => openDashboard(context, argument),
  'byok.addCustomEndpoint': context => () => addCustomEndpoint(context),
  'byok.editCustomEndpoint': context => argument => editCustomEndpoint(context, argument),
  'byok.removeCustomEndpoint': context => argument => removeCustomEndpoint(context, argument),
  'byok.explain': context => () => explain(context),
  'byok.refactor': context => instruction => refactor(context, context.previews, typeof instruction === 'string' ? { instruction } : {}),
  'byok.refactorWith': context => () => refactor(context, context.previews, { choose: true }),
  'byok.runPreset': context => (name, args) => runPresetCommand(context, name, args),
  'byok.newPreset': context => () => newPreset(context),
  'byok.editPreset': context => () => editPreset(context),
  'byok.duplicatePreset': context => () => duplicatePreset(context),
  'byok.deletePreset': context => () => deletePreset(context),
  'byok.saveAsPreset': context => text => saveAsPreset(context, text),
  'byok.showLog': context => () => context.log.show(),
  // The Language Model API's "manage" entry for vendor `byok` (contributes.languageModelChatProviders).
  'byok.manageProviders': () => () => vscode.commands.executeCommand(`${providersViewId}.focus`),
  'byok.showUsage': context => () => context.usagePanel.show(),
  'byok.refreshPrices': context => () => context.cost.refreshPrices(),
  'byok.exportUsage': context => () => context.cost.exportUsage(),
  'byok.clearUsage': context => () => context.cost.clearUsage(),
  'byok.compareModels': context => argument => comparePanelFor(context).compare(argument),
};

export type CommandHandler = (...args: unknown[]) => Promise<unknown>;

/**
 * Each command's handler, wrapped so a failure is logged and shown, never thrown at VS Code.
 * `activate` registers every id of `contributes.commands` at once and calls these on first use.
 */
export function commandHandlers(context: CommandContext): Map<string, CommandHandler> {
  return new Map(Object.entries(commandTable).map(([id, factory]) => {
    const handler = factory(context);
    return [id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        context.log.error(`command ${id} failed`, error);
        void vscode.window.showErrorMessage(`BYOK AI: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    }];
  }));
}
