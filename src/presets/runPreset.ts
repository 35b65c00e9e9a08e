// Runs a preset: checks its provider/model override against the providers the user set up, fills
// in its variables (the editor, ${input:…} boxes remembered per preset, the slash command's
// arguments), refuses before sending when something is missing or too large, then hands the
// prompt to the chat (chat/explain mode) or to the refactor diff review (refactor mode).

import * as vscode from 'vscode';
import { refactor } from '../commands/editorCommands';
import type { CommandContext } from '../commands/types';
import { fence } from '../editing/prompts';
import type { OfferedPreset } from './resolve';
import { contextProblem, routePreset, type PresetRoute } from './route';
import { expandPreset, presetInputs, usesVariable, type VariableValues } from './variables';

export type RunOutcome = { ran: true } | { ran: false; reason: string; restoreDraft: boolean };

export interface RunOptions {
  /** The chat view's request id when the preset was typed as a slash command. */
  requestId?: string;
  from: 'chat' | 'command';
}

const inputMemoryKey = (name: string): string => `byok.presetInputs.${name.toLowerCase()}`;

/** The preset's route, with the key presence of its provider read first. */
async function presetRoute(context: CommandContext, preset: OfferedPreset): Promise<PresetRoute> {
  const { settings, catalog, providers } = context;
  if (preset.provider) await providers.refreshKeyPresence(preset.provider);
  return routePreset(preset, {
    selectedProviderId: () => settings.selectedProviderId(),
    model: providerId => settings.model(providerId),
    label: providerId => catalog.describe(providerId)?.label,
    usable: providerId => providers.usable(providerId),
  });
}

export async function runPreset(context: CommandContext, preset: OfferedPreset, args: string, options: RunOptions): Promise<RunOutcome> {
  const refuse = (reason: string, restoreDraft = true): RunOutcome => ({ ran: false, reason, restoreDraft });
  const route = await presetRoute(context, preset);
  if (!route.ok) return refuse(route.reason);

  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  const document = editor?.document;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  if (preset.mode !== 'chat' && (!editor || selection === undefined || !selection.trim())) {
    return refuse(`/${preset.name} works on the code selected in the editor: select some code first.`);
  }
  const folder = document ? vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0] : vscode.workspace.workspaceFolders?.[0];
  const values: VariableValues = {
    arguments: args,
    inputs: {},
    ...(selection !== undefined ? { selection } : {}),
    ...(document ? {
      fileBasename: document.uri.path.split('/').pop() ?? '',
      language: document.languageId,
      filePath: vscode.workspace.asRelativePath(document.uri),
      // The whole file is read only when the prompt uses it.
      ...(usesVariable(preset.body, 'file') ? { file: document.getText() } : {}),
    } : {}),
    ...(folder ? { workspaceFolder: folder.uri.fsPath } : {}),
  };

  const inputs = presetInputs(preset.body);
  if (inputs.length) {
    const memory = context.extension.workspaceState;
    const remembered = memory.get<Record<string, string>>(inputMemoryKey(preset.name)) ?? {};
    for (const input of inputs) {
      const value = await vscode.window.showInputBox({
        title: `/${preset.name}`, prompt: input.name, placeHolder: input.placeholder || input.name, value: remembered[input.name] ?? '', ignoreFocusOut: true,
      });
      if (value === undefined) return refuse(`/${preset.name} was not sent: no value was given for ${input.name}.`);
      values.inputs[input.name] = value;
    }
    await memory.update(inputMemoryKey(preset.name), { ...remembered, ...values.inputs });
  }

  const expansion = expandPreset(preset.body, values);
  if (!expansion.ok) return refuse(`/${preset.name} was not sent. ${expansion.errors.join(' ')}`);
  let prompt = expansion.text;
  if (preset.mode === 'explain' && editor && !usesVariable(preset.body, 'selection')) {
    // Explain-mode presets are instructions about the selection: the code goes with them, fenced.
    const start = editor.selection.start.line + 1;
    const end = editor.selection.end.line + 1;
    prompt += `\n\nCode from \`${values.filePath ?? ''}\` (lines ${start}-${end}):\n${fence(selection ?? '', document?.languageId ?? '')}`;
  }

  const known = context.providers.knownModels(route.providerId).find(option => option.id === route.model);
  const tooLarge = contextProblem(prompt, preset.name, route.model, known?.contextWindow, {
    used: usesVariable(preset.body, 'file'), ...(values.fileBasename ? { name: values.fileBasename } : {}),
  });
  if (tooLarge) return refuse(tooLarge);

  if (preset.mode === 'refactor') {
    // The refactoring is reviewed in a diff in the editor, not in the chat.
    const running = refactor(context, context.previews, { instruction: prompt, ...(route.override ? { override: route.override } : {}) });
    if (options.from === 'chat') {
      running.catch(error => context.log.error(`preset /${preset.name} failed`, error));
      return refuse(`/${preset.name} refactors the editor selection: review the change in the diff.`, false);
    }
    await running;
    return { ran: true };
  }

  const display = `/${preset.name}${args.trim() ? ` ${args.trim()}` : ''}`;
  if (options.from === 'command') await context.chatView.reveal();
  await context.chat.ask(display, prompt, route.override, {
    ...(options.requestId ? { requestId: options.requestId } : {}),
    feature: preset.mode === 'explain' ? 'explain' : 'chat',
    preset: { name: preset.name, source: preset.source, prompt },
  });
  return { ran: true };
}
