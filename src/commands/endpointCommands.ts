// Adding, editing and removing custom OpenAI-compatible endpoints. They live in the user's own
// settings (application scope), never in a workspace, because they decide where a key is sent.

import * as vscode from 'vscode';
import { customEndpointPresets, customProviderPrefix, type CustomEndpoint } from '../providers/registry';
import type { CommandContext } from './types';

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'endpoint';
}

function validateBaseUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Use an http:// or https:// URL.';
    if (url.username || url.password) return 'Put credentials in the key, not in the URL.';
    return undefined;
  } catch {
    return 'Enter a full URL, for example http://127.0.0.1:11434/v1';
  }
}

async function askEndpoint(initial: Partial<CustomEndpoint>): Promise<Omit<CustomEndpoint, 'id'> | undefined> {
  const name = await vscode.window.showInputBox({ title: 'Custom endpoint: name', value: initial.name ?? '', ignoreFocusOut: true, validateInput: text => text.trim() ? undefined : 'Give it a name.' });
  if (name === undefined) return undefined;
  const baseUrl = await vscode.window.showInputBox({
    title: 'Custom endpoint: base URL (OpenAI-compatible, usually ending in /v1)', value: initial.baseUrl ?? '', ignoreFocusOut: true, validateInput: validateBaseUrl,
  });
  if (baseUrl === undefined) return undefined;
  const keyChoice = await vscode.window.showQuickPick([
    { label: 'No key needed', keyRequired: false },
    { label: 'Needs an API key', keyRequired: true },
  ], { title: 'Does this endpoint need an API key?', ignoreFocusOut: true });
  if (!keyChoice) return undefined;
  const defaultModel = await vscode.window.showInputBox({ title: 'Default model id (optional; the live list is used when the server has one)', value: initial.defaultModel ?? '', ignoreFocusOut: true });
  if (defaultModel === undefined) return undefined;
  return {
    name: name.trim(), baseUrl: baseUrl.trim().replace(/\/+$/, ''), keyRequired: keyChoice.keyRequired,
    ...(defaultModel.trim() ? { defaultModel: defaultModel.trim() } : {}),
    ...(initial.headers ? { headers: initial.headers } : {}),
  };
}

export async function addCustomEndpoint(context: CommandContext): Promise<string | undefined> {
  const preset = await vscode.window.showQuickPick(
    [...customEndpointPresets.map(entry => ({ label: entry.label, description: entry.baseUrl, preset: entry })), { label: 'Other OpenAI-compatible server…', description: '', preset: undefined }],
    { title: 'Add a custom endpoint' },
  );
  if (!preset) return undefined;
  const answers = await askEndpoint({ name: preset.preset?.label ?? '', baseUrl: preset.preset?.baseUrl ?? '' });
  if (!answers) return undefined;
  const settings = context.settings;
  const existing = settings.customEndpoints();
  let id = slug(answers.name);
  for (let counter = 2; existing.some(endpoint => endpoint.id === id); counter++) id = `${slug(answers.name)}-${counter}`;
  await settings.setCustomEndpoints([...existing, { id, ...answers }]);
  const providerId = `${customProviderPrefix}${id}`;
  await settings.setEnabled(providerId, true);
  if (answers.keyRequired) await vscode.commands.executeCommand('byok.setKey', providerId);
  void vscode.window.showInformationMessage(`Added ${answers.name}. Verify it from the Providers view.`);
  return providerId;
}

async function pickEndpoint(context: CommandContext, argument: unknown, placeHolder: string): Promise<CustomEndpoint | undefined> {
  const settings = context.settings;
  if (typeof argument === 'string') return settings.customEndpoint(argument);
  const endpoints = settings.customEndpoints();
  if (!endpoints.length) {
    void vscode.window.showInformationMessage('There are no custom endpoints yet. Use "BYOK AI: Add Custom Endpoint".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(endpoints.map(endpoint => ({ label: endpoint.name, description: endpoint.baseUrl, endpoint })), { placeHolder });
  return picked?.endpoint;
}

export async function editCustomEndpoint(context: CommandContext, argument?: unknown): Promise<boolean> {
  const endpoint = await pickEndpoint(context, argument, 'Edit which endpoint?');
  if (!endpoint) return false;
  const answers = await askEndpoint(endpoint);
  if (!answers) return false;
  const settings = context.settings;
  await settings.setCustomEndpoints(settings.customEndpoints().map(each => each.id === endpoint.id ? { id: endpoint.id, ...answers } : each));
  return true;
}

export async function removeCustomEndpoint(context: CommandContext, argument?: unknown): Promise<boolean> {
  const endpoint = await pickEndpoint(context, argument, 'Remove which endpoint?');
  if (!endpoint) return false;
  const remove = 'Remove';
  const choice = await vscode.window.showWarningMessage(`Remove the endpoint "${endpoint.name}" and its stored key?`, { modal: true }, remove);
  if (choice !== remove) return false;
  const settings = context.settings;
  await settings.setCustomEndpoints(settings.customEndpoints().filter(each => each.id !== endpoint.id));
  await context.keys.delete(`${customProviderPrefix}${endpoint.id}`).catch(() => undefined);
  return true;
}
