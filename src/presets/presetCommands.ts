// The preset commands: Run Preset… (a searchable quick pick), New / Edit / Duplicate / Delete
// Preset and Save as Preset (from a question in the chat). Preset files open as normal editors;
// the library's diagnostics check their front matter as the user types.

import * as vscode from 'vscode';
import type { CommandContext } from '../commands/types';
import { formatPresetFile, presetNamePattern } from './frontMatter';
import { presetFileName } from './names';
import { workspacePresetFolder } from './presetLibrary';
import { describeSource, type OfferedPreset } from './resolve';
import { runPreset } from './runPreset';
import { presetSourceLabels, type PresetDefinition } from './types';

type PresetItem = vscode.QuickPickItem & { preset: OfferedPreset };

function itemFor(preset: OfferedPreset): PresetItem {
  const preview = preset.body.replace(/\s+/g, ' ').slice(0, 120);
  return {
    label: `/${preset.name}`, description: describeSource(preset, presetSourceLabels),
    detail: [preset.description, preview].filter(Boolean).join(' — '), preset,
  };
}

async function pickPreset(context: CommandContext, placeHolder: string, filter: (preset: OfferedPreset) => boolean = () => true): Promise<OfferedPreset | undefined> {
  const presets = (await context.presets.list()).filter(filter);
  if (!presets.length) {
    void vscode.window.showInformationMessage('BYOK AI: there is no preset to choose here. Create one with "BYOK AI: New Preset".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(presets.map(itemFor), { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.preset;
}

/** Run Preset…: from the editor (with its selection) or the command palette. `name` skips the pick (tests, keybindings). */
export async function runPresetCommand(context: CommandContext, name?: unknown, args?: unknown): Promise<boolean> {
  const preset = typeof name === 'string' ? await context.presets.find(name) : await pickPreset(context, 'Run which preset? (type to search name, description and prompt)');
  if (!preset) {
    if (typeof name === 'string') void vscode.window.showWarningMessage(`BYOK AI: there is no preset named ${name}.`);
    return false;
  }
  let argumentText = typeof args === 'string' ? args : '';
  if (typeof args !== 'string' && preset.argumentHint) {
    const typed = await vscode.window.showInputBox({ title: `/${preset.name}`, prompt: preset.argumentHint, placeHolder: preset.argumentHint });
    if (typed === undefined) return false;
    argumentText = typed;
  }
  const outcome = await runPreset(context, preset, argumentText, { from: 'command' });
  if (!outcome.ran) void vscode.window.showWarningMessage(`BYOK AI: ${outcome.reason}`);
  return outcome.ran;
}

async function askName(prompt: string, value: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    prompt, value, placeHolder: 'e.g. review-pr',
    validateInput: text => (presetNamePattern.test(text) ? undefined : 'Letters, digits, ".", "_" or "-" (no spaces), at most 64.'),
  });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Where a new preset goes: the user's folder, or the workspace's .byok/prompts (trusted workspaces only). */
async function pickFolder(context: CommandContext): Promise<vscode.Uri | undefined> {
  const workspace = vscode.workspace.workspaceFolders?.[0];
  if (!workspace || !vscode.workspace.isTrusted) return context.presets.userFolder;
  const choice = await vscode.window.showQuickPick([
    { label: 'User preset', description: 'in every workspace', folder: context.presets.userFolder },
    { label: 'Workspace preset', description: `${workspacePresetFolder} in ${workspace.name} (shared with the repository)`, folder: vscode.Uri.joinPath(workspace.uri, workspacePresetFolder) },
  ], { placeHolder: 'Where should the preset live?' });
  return choice?.folder;
}

async function writePreset(context: CommandContext, folder: vscode.Uri, definition: PresetDefinition): Promise<vscode.Uri> {
  await vscode.workspace.fs.createDirectory(folder);
  const uri = vscode.Uri.joinPath(folder, presetFileName(definition.name));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(formatPresetFile(definition)));
  context.presets.invalidate();
  return uri;
}

async function createAndOpen(context: CommandContext, folder: vscode.Uri, suggested: string, definition: Omit<PresetDefinition, 'name'>): Promise<vscode.Uri | undefined> {
  const name = await askName('Name of the preset (typed as /name in the chat)', suggested);
  if (!name) return undefined;
  const uri = vscode.Uri.joinPath(folder, presetFileName(name));
  if (await exists(uri)) {
    void vscode.window.showWarningMessage(`BYOK AI: ${presetFileName(name)} exists already; it was opened instead.`);
  } else {
    await writePreset(context, folder, { ...definition, name });
  }
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

export async function newPreset(context: CommandContext): Promise<vscode.Uri | undefined> {
  const folder = await pickFolder(context);
  if (!folder) return undefined;
  return createAndOpen(context, folder, 'my-preset', {
    description: 'What this preset does', argumentHint: 'what to type after the command', mode: 'chat',
    body: 'Review ${selection} for readability.\n\nFocus on: $ARGUMENTS',
  });
}

export async function saveAsPreset(context: CommandContext, text?: unknown): Promise<vscode.Uri | undefined> {
  const body = typeof text === 'string' && text.trim() ? text.trim() : undefined;
  if (!body) {
    void vscode.window.showWarningMessage('BYOK AI: use "Save as Preset" on one of your questions in the chat.');
    return undefined;
  }
  const folder = await pickFolder(context);
  if (!folder) return undefined;
  return createAndOpen(context, folder, '', { description: body.replace(/\s+/g, ' ').slice(0, 80), argumentHint: '', mode: 'chat', body });
}

export async function editPreset(context: CommandContext): Promise<void> {
  const preset = await pickPreset(context, 'Edit which preset? (a built-in is copied to your user presets, which then replace it)');
  if (!preset) return;
  if (preset.location) {
    await vscode.window.showTextDocument(vscode.Uri.parse(preset.location), { preview: false });
    if (preset.source === 'github') void vscode.window.showInformationMessage('BYOK AI reads .github/prompts but never writes it; your edits there are your own.');
    return;
  }
  const uri = await writePreset(context, context.presets.userFolder, preset);
  await vscode.window.showTextDocument(uri, { preview: false });
}

export async function duplicatePreset(context: CommandContext): Promise<vscode.Uri | undefined> {
  const preset = await pickPreset(context, 'Duplicate which preset?');
  if (!preset) return undefined;
  const folder = await pickFolder(context);
  if (!folder) return undefined;
  const { name, source: _source, location: _location, overrides: _overrides, ...definition } = preset;
  return createAndOpen(context, folder, `${name}-copy`, definition);
}

export async function deletePreset(context: CommandContext): Promise<boolean> {
  const preset = await pickPreset(context, 'Delete which preset?', candidate => candidate.source === 'user' || candidate.source === 'workspace' || candidate.source === 'built-in');
  if (!preset) return false;
  if (!preset.location) {
    const open = 'Open Setting';
    const choice = await vscode.window.showInformationMessage(`/${preset.name} is built in: hide it with the byok.presets.hiddenBuiltIns setting instead.`, open);
    if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'byok.presets.hiddenBuiltIns');
    return false;
  }
  const remove = 'Delete';
  const choice = await vscode.window.showWarningMessage(`Delete the preset /${preset.name} (${presetSourceLabels[preset.source]})? Its file is moved to the trash.`, { modal: true }, remove);
  if (choice !== remove) return false;
  await vscode.workspace.fs.delete(vscode.Uri.parse(preset.location), { useTrash: true });
  context.presets.invalidate();
  return true;
}
