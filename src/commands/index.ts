// The command table: id → handler factory. Registered in a loop by `activate`; a unit test
// checks this table equals `contributes.commands` in package.json.

import * as vscode from 'vscode';
import { deleteChat, exportChat, renameChat } from './chatCommands';
import { cancelEditorRequests, explain, refactor } from './editorCommands';
import { addCustomEndpoint, editCustomEndpoint, removeCustomEndpoint } from './endpointCommands';
import {
  deleteKey, openDashboard, refreshModels, selectModel, setActivation, setKey, switchProvider, verifyAll, verifyProvider,
} from './providerCommands';
import type { CommandDependencies } from './types';

type Handler = (...args: unknown[]) => unknown;

export const commandTable: Record<string, (dependencies: CommandDependencies) => Handler> = {
  'byok.openChat': dependencies => () => dependencies.chatView.reveal(),
  'byok.newChat': dependencies => async () => { await dependencies.chatView.reveal(); await dependencies.chat.newChat(); },
  'byok.stopRequest': dependencies => () => { dependencies.chat.cancelAll(); cancelEditorRequests(); },
  'byok.exportChat': dependencies => argument => exportChat(dependencies, argument),
  'byok.renameChat': dependencies => argument => renameChat(dependencies, argument),
  'byok.deleteChat': dependencies => argument => deleteChat(dependencies, argument),
  'byok.setKey': dependencies => argument => setKey(dependencies, argument),
  'byok.deleteKey': dependencies => argument => deleteKey(dependencies, argument),
  'byok.activateProvider': dependencies => argument => setActivation(dependencies, true, argument),
  'byok.deactivateProvider': dependencies => argument => setActivation(dependencies, false, argument),
  'byok.selectModel': dependencies => (argument, model) => selectModel(dependencies, argument, model),
  'byok.refreshModels': dependencies => argument => refreshModels(dependencies, argument),
  'byok.switchProvider': dependencies => argument => switchProvider(dependencies, argument),
  'byok.verifyProvider': dependencies => argument => verifyProvider(dependencies, argument),
  'byok.verifyAll': dependencies => () => verifyAll(dependencies),
  'byok.openDashboard': dependencies => argument => openDashboard(dependencies, argument),
  'byok.addCustomEndpoint': dependencies => () => addCustomEndpoint(dependencies),
  'byok.editCustomEndpoint': dependencies => argument => editCustomEndpoint(dependencies, argument),
  'byok.removeCustomEndpoint': dependencies => argument => removeCustomEndpoint(dependencies, argument),
  'byok.explain': dependencies => () => explain(dependencies),
  'byok.refactor': dependencies => instruction => refactor(dependencies, dependencies.previews, typeof instruction === 'string' ? { instruction } : {}),
  'byok.refactorWith': dependencies => () => refactor(dependencies, dependencies.previews, { choose: true }),
  'byok.showLog': dependencies => () => dependencies.log.show(),
};

export function registerCommands(dependencies: CommandDependencies): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, factory]) => {
    const handler = factory(dependencies);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        dependencies.log.error(`command ${id} failed`, error);
        void vscode.window.showErrorMessage(`BYOK AI: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    });
  });
}
