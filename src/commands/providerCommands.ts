// Commands of the provider control plane: keys, activation, model choice, switching, verifying.
// Each one is a separate action, also reachable from the Providers view and the status bar.

import * as vscode from 'vscode';
import { normalizeKey } from '../config/keyFormat';
import { presentError } from '../errorPresentation';
import { isProviderError } from '../providers/errors';
import type { ProviderDescriptor } from '../providers/registry';
import { buildVerifyReport, type VerifyReportEntry } from '../report/verifyReport';
import { describeKeyState } from '../providerState/usable';
import { showProviderError } from './showError';
import type { CommandContext } from './types';

const argumentProviderId = (value: unknown): string | undefined => typeof value === 'string' ? value : undefined;

/** The provider a command acts on: its argument, or one the user picks. */
export async function resolveProvider(context: CommandContext, argument: unknown, placeHolder: string): Promise<ProviderDescriptor | undefined> {
  const given = argumentProviderId(argument);
  if (given) {
    const descriptor = context.catalog.describe(given);
    if (!descriptor) void vscode.window.showErrorMessage(`BYOK AI does not know the provider "${given.slice(0, 60)}".`);
    return descriptor;
  }
  await context.providers.refreshKeyPresence();
  const items = context.catalog.all().map(descriptor => ({
    label: descriptor.label,
    description: `${context.settings.isEnabled(descriptor.id) ? 'active' : 'inactive'} · key ${describeKeyState(context.providers.keyState(descriptor.id))}`,
    descriptor,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  return picked?.descriptor;
}

export async function setKey(context: CommandContext, argument?: unknown): Promise<boolean> {
  const descriptor = await resolveProvider(context, argument, 'Set the API key of which provider?');
  if (!descriptor) return false;
  const value = await vscode.window.showInputBox({
    title: `${descriptor.label} API key`,
    prompt: `Paste your ${descriptor.label} key (${descriptor.keyFormatHint}). It is kept in VS Code's secret storage only. Get one at ${descriptor.dashboardUrl}`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: descriptor.keyFormatHint,
    validateInput: text => text.trim() ? undefined : 'Paste a key, or press Escape to cancel.',
  });
  if (value === undefined) return false;
  const key = normalizeKey(value);
  if (descriptor.keyFormat && !descriptor.keyFormat.test(key)) {
    const keep = 'Save anyway';
    const choice = await vscode.window.showWarningMessage(
      `This does not look like a ${descriptor.label} key (expected: ${descriptor.keyFormatHint}). Save it anyway?`, { modal: true }, keep);
    if (choice !== keep) return false;
  }
  try {
    await context.keys.set(descriptor.id, key);
  } catch (error) {
    if (!isProviderError(error)) throw error;
    void showProviderError(descriptor, error);
    return false;
  }
  await context.providers.refreshKeyPresence(descriptor.id);
  context.log.info(`key saved for ${descriptor.id}`);
  if (vscode.env.uiKind === vscode.UIKind.Web) {
    void vscode.window.showInformationMessage('In browser-hosted VS Code the key is stored, encrypted, in this browser\'s storage for this site: another browser or profile will not have it.');
  }
  const settings = context.settings;
  if (!settings.isEnabled(descriptor.id)) {
    const activate = 'Activate and use';
    const choice = await vscode.window.showInformationMessage(`${descriptor.label} key saved. Activate ${descriptor.label} and use it for chat?`, activate, 'Not now');
    if (choice === activate) {
      await settings.setEnabled(descriptor.id, true);
      await settings.setSelectedProvider(descriptor.id);
    }
  } else {
    void vscode.window.setStatusBarMessage(`$(check) ${descriptor.label} key saved`, 3000);
  }
  void context.providers.verify(descriptor.id);
  return true;
}

export async function deleteKey(context: CommandContext, argument?: unknown): Promise<boolean> {
  const descriptor = await resolveProvider(context, argument, 'Delete the API key of which provider?');
  if (!descriptor) return false;
  const remove = 'Delete key';
  const choice = await vscode.window.showWarningMessage(`Delete the ${descriptor.label} API key from VS Code's secret storage?`, { modal: true }, remove);
  if (choice !== remove) return false;
  try {
    await context.keys.delete(descriptor.id);
  } catch (error) {
    if (!isProviderError(error)) throw error;
    void showProviderError(descriptor, error);
    return false;
  }
  await context.providers.refreshKeyPresence(descriptor.id);
  context.log.info(`key deleted for ${descriptor.id}`);
  return true;
}

export async function setActivation(context: CommandContext, enabled: boolean, argument?: unknown): Promise<boolean> {
  const descriptor = await resolveProvider(context, argument, enabled ? 'Activate which provider?' : 'Deactivate which provider?');
  if (!descriptor) return false;
  await context.settings.setEnabled(descriptor.id, enabled);
  return true;
}

export async function selectModel(context: CommandContext, argument?: unknown, modelArgument?: unknown): Promise<boolean> {
  const descriptor = await resolveProvider(context, argument, 'Select a model for which provider?');
  if (!descriptor) return false;
  const settings = context.settings;
  let model = typeof modelArgument === 'string' ? modelArgument : undefined;
  if (!model) {
    model = await pickModel(context, descriptor);
    if (!model) return false;
  }
  try {
    await settings.setModel(descriptor.id, model);
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return false;
  }
  return true;
}

async function pickModel(context: CommandContext, descriptor: ProviderDescriptor): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { id: string }>();
  quickPick.title = `${descriptor.label}: select a model`;
  quickPick.placeholder = 'Type to filter, or enter any model id';
  quickPick.busy = true;
  const current = context.settings.model(descriptor.id);
  const toItems = (options: { id: string; label: string; live: boolean; contextWindow?: number }[]) => options.map(option => ({
    id: option.id,
    label: option.id === current ? `$(check) ${option.id}` : option.id,
    description: [option.live ? '' : 'catalog', option.contextWindow ? `${Math.round(option.contextWindow / 1000)}k context` : ''].filter(Boolean).join(' · '),
  }));
  quickPick.items = toItems(context.providers.knownModels(descriptor.id));
  quickPick.show();
  void context.providers.models(descriptor.id, true).then(options => {
    quickPick.items = toItems(options);
    quickPick.busy = false;
  });
  return new Promise(resolve => {
    quickPick.onDidAccept(() => {
      const chosen = quickPick.selectedItems[0]?.id ?? quickPick.value.trim();
      quickPick.hide();
      resolve(chosen || undefined);
    });
    quickPick.onDidHide(() => { quickPick.dispose(); resolve(undefined); });
  });
}

/** Status bar click: pick a provider (ready ones first), then optionally its model. */
export async function switchProvider(context: CommandContext, argument?: unknown): Promise<boolean> {
  const providers = context.providers;
  const settings = context.settings;
  let descriptor: ProviderDescriptor | undefined;
  const given = argumentProviderId(argument);
  if (given) {
    descriptor = context.catalog.describe(given);
  } else {
    await providers.refreshKeyPresence();
    const selected = settings.selectedProviderId();
    type Item = vscode.QuickPickItem & { descriptor?: ProviderDescriptor; needsKey?: boolean };
    const all = context.catalog.all();
    const items: Item[] = [{ label: 'Ready', kind: vscode.QuickPickItemKind.Separator }];
    for (const each of all.filter(entry => providers.usable(entry.id))) {
      items.push({ label: `${each.id === selected ? '$(check) ' : ''}${each.label}`, description: settings.model(each.id), detail: `key ${describeKeyState(providers.keyState(each.id))}`, descriptor: each });
    }
    items.push({ label: 'Other providers', kind: vscode.QuickPickItemKind.Separator });
    for (const each of all.filter(entry => !providers.usable(entry.id))) {
      const usability = providers.usability(each.id);
      const reason = usability.usable ? undefined : usability.reason;
      const needsKey = reason === 'missing-key';
      const description = reason === 'key-store' ? '$(warning) the key store failed' : needsKey ? '$(key) set key…' : 'inactive — activate';
      items.push({ label: each.label, description, descriptor: each, needsKey });
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Switch the provider BYOK AI uses', matchOnDescription: true });
    if (!picked?.descriptor) return false;
    descriptor = picked.descriptor;
    if (picked.needsKey && !(await setKey(context, descriptor.id))) return false;
  }
  if (!descriptor) return false;
  await settings.setEnabled(descriptor.id, true);
  await settings.setSelectedProvider(descriptor.id);
  if (!given) {
    const model = await pickModel(context, descriptor);
    if (model) await settings.setModel(descriptor.id, model);
  }
  return true;
}

export async function refreshModels(context: CommandContext, argument?: unknown): Promise<boolean> {
  const descriptor = await resolveProvider(context, argument, 'Refresh the models of which provider?');
  if (!descriptor) return false;
  await context.providers.models(descriptor.id, true);
  return true;
}

export async function verifyProvider(context: CommandContext, argument?: unknown): Promise<boolean> {
  const descriptor = await resolveProvider(context, argument, 'Verify which provider?');
  if (!descriptor) return false;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Verifying ${descriptor.label}…` },
    () => context.providers.verify(descriptor.id),
  );
  if (result.ok) {
    void vscode.window.showInformationMessage(`${descriptor.label} works: ${result.latencyMs} ms${result.modelCount !== undefined ? `, ${result.modelCount} models` : ''}.`);
  } else if (result.error) {
    context.log.warn(`verify ${descriptor.id}: ${result.error.toString()}`);
    void showProviderError(descriptor, result.error, () => verifyProvider(context, descriptor.id));
  }
  return result.ok;
}

export async function verifyAll(context: CommandContext): Promise<string> {
  const providers = context.providers;
  const settings = context.settings;
  await providers.refreshKeyPresence();
  const descriptors = context.catalog.all();
  const entries: VerifyReportEntry[] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Verifying providers…', cancellable: false },
    async progress => {
      let done = 0;
      return Promise.all(descriptors.map(async descriptor => {
        const keyPresent = providers.hasKey(descriptor.id);
        const keySetOn = providers.keySetOn(descriptor.id);
        const keyStoreFailure = descriptor.quirks.keyRequired ? providers.keyStoreFailure() : undefined;
        const entry: VerifyReportEntry = {
          providerId: descriptor.id, label: descriptor.label, keyPresent, keyRequired: descriptor.quirks.keyRequired,
          ...(keySetOn ? { keySetOn } : {}),
          ...(keyStoreFailure ? { keyStoreError: presentError(keyStoreFailure) } : {}),
          active: settings.isEnabled(descriptor.id) || settings.selectedProviderId() === descriptor.id,
          baseUrl: settings.baseUrl(descriptor.id) ?? descriptor.defaultBaseUrl, defaultBaseUrl: descriptor.defaultBaseUrl, dashboardUrl: descriptor.dashboardUrl,
        };
        if (keyPresent || (!descriptor.quirks.keyRequired && settings.isEnabled(descriptor.id))) {
          const result = await providers.verify(descriptor.id, 15_000);
          entry.result = { ok: result.ok, latencyMs: result.latencyMs, ...(result.modelCount !== undefined ? { modelCount: result.modelCount } : {}), ...(result.error ? { error: presentError(result.error, descriptor.dashboardUrl) } : {}) };
        }
        progress.report({ message: `${++done} of ${descriptors.length}`, increment: 100 / descriptors.length });
        return entry;
      }));
    },
  );
  const report = buildVerifyReport(entries, new Date());
  const document = await vscode.workspace.openTextDocument({ content: report, language: 'markdown' });
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri).then(undefined, () => undefined);
  return report;
}

export async function openDashboard(context: CommandContext, argument?: unknown): Promise<boolean> {
  const descriptor = await resolveProvider(context, argument, 'Open the key dashboard of which provider?');
  if (!descriptor) return false;
  return vscode.env.openExternal(vscode.Uri.parse(descriptor.dashboardUrl));
}

