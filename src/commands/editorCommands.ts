// Explain and refactor a selection. Explain adds a turn to the chat conversation (the chat runs it
// through the router); refactor is a router turn of its own: it streams a rewrite, shows a diff
// titled with what it cost, and applies it as one undo step only if the document did not change meanwhile.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { extractCode, fitToSelection } from '../editing/extractCode';
import { buildExplainPrompt, buildRefactorPrompt, refactorPresets, type CodeContext } from '../editing/prompts';
import type { RefactorPreviewDocuments } from '../editing/refactorPreview';
import { formatUsd } from '../cost/format';
import { refactorReviewTitle } from '../editing/refactorTitle';
import { ProviderError } from '../providers/errors';
import { estimateTokens } from '../router/conversation';
import type { TurnResult } from '../router/turn';
import { errorActionLabels, errorNotificationText, presentError } from '../errorPresentation';
import { applyReplacement } from './safeEdit';
import { showProviderError } from './showError';
import type { CommandContext } from './types';

const surroundingLines = 5;

/** Editor requests in flight, so "Stop" cancels them like a chat answer. */
const activeRequests = new Set<AbortController>();

export function cancelEditorRequests(): void {
  for (const controller of activeRequests) controller.abort();
}

function requireEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) void vscode.window.showWarningMessage('BYOK AI: open a file and select some code first.');
  return editor;
}

function codeContext(document: vscode.TextDocument, range: vscode.Range): CodeContext {
  const beforeStart = Math.max(0, range.start.line - surroundingLines);
  const afterEnd = Math.min(document.lineCount - 1, range.end.line + surroundingLines);
  return {
    languageId: document.languageId,
    path: vscode.workspace.asRelativePath(document.uri),
    startLine: range.start.line + 1,
    endLine: range.end.line + 1,
    code: document.getText(range),
    before: document.getText(new vscode.Range(beforeStart, 0, range.start.line, 0)),
    after: document.getText(new vscode.Range(range.end.line + 1, 0, afterEnd, document.lineAt(afterEnd).text.length)),
  };
}

/** The selection, else the innermost symbol around the cursor, else the visible code. */
async function explainRange(editor: vscode.TextEditor): Promise<vscode.Range> {
  if (!editor.selection.isEmpty) return editor.selection;
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', editor.document.uri)
    .then(result => result, () => undefined);
  let best: vscode.Range | undefined;
  const visit = (list: readonly vscode.DocumentSymbol[]): void => {
    for (const symbol of list) {
      if (symbol.range?.contains(editor.selection.active)) {
        best = symbol.range;
        visit(symbol.children ?? []);
      }
    }
  };
  if (Array.isArray(symbols)) visit(symbols.filter(symbol => 'children' in symbol));
  return best ?? editor.visibleRanges[0] ?? new vscode.Range(0, 0, editor.document.lineCount, 0);
}

export async function explain(dependencies: CommandContext): Promise<boolean> {
  const editor = requireEditor();
  if (!editor) return false;
  const range = await explainRange(editor);
  const context = codeContext(editor.document, range);
  if (!context.code.trim()) {
    void vscode.window.showWarningMessage('BYOK AI: there is no code to explain here.');
    return false;
  }
  await dependencies.chatView.reveal();
  const display = `Explain \`${context.path}\` lines ${context.startLine}-${context.endLine}`;
  await dependencies.chat.ask(display, buildExplainPrompt(context));
  return true;
}

interface RefactorChoice {
  instruction: string;
  providerId?: string;
  model?: string;
}

async function askInstruction(): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { instruction?: string }>();
  quickPick.title = 'BYOK AI: Refactor Selection';
  quickPick.placeholder = 'Pick a refactoring or type your own instruction';
  quickPick.items = refactorPresets.map(preset => ({ label: preset.label, detail: preset.instruction, instruction: preset.instruction }));
  quickPick.matchOnDetail = true;
  quickPick.show();
  return new Promise(resolve => {
    quickPick.onDidAccept(() => {
      const picked = quickPick.selectedItems[0]?.instruction ?? quickPick.value.trim();
      quickPick.hide();
      resolve(picked || undefined);
    });
    quickPick.onDidHide(() => { quickPick.dispose(); resolve(undefined); });
  });
}

async function askProviderAndModel(dependencies: CommandContext): Promise<{ providerId: string; model: string } | undefined> {
  const providers = dependencies.providers;
  await providers.refreshKeyPresence();
  const usable = dependencies.catalog.all().filter(descriptor => providers.usable(descriptor.id));
  if (!usable.length) {
    void vscode.window.showWarningMessage('No provider is ready yet: activate one and set its key (BYOK AI: Set API Key), or check the key store.');
    return undefined;
  }
  const provider = await vscode.window.showQuickPick(usable.map(descriptor => ({ label: descriptor.label, description: dependencies.settings.model(descriptor.id), descriptor })), { placeHolder: 'Refactor with which provider? (this request only)' });
  if (!provider) return undefined;
  const models = await providers.models(provider.descriptor.id);
  const model = await vscode.window.showQuickPick(models.map(option => ({ label: option.id, description: option.live ? '' : 'catalog' })), { placeHolder: `Which ${provider.descriptor.label} model?` });
  if (!model) return undefined;
  return { providerId: provider.descriptor.id, model: model.label };
}

/** `override`: a preset's provider and model, for this request only (already checked to be usable). */
export async function refactor(
  dependencies: CommandContext, previews: RefactorPreviewDocuments,
  options: { choose?: boolean; instruction?: string; override?: { providerId: string; model: string } } = {},
): Promise<'applied' | 'discarded' | 'cancelled' | 'failed'> {
  const editor = requireEditor();
  if (!editor) return 'failed';
  if (editor.selection.isEmpty) {
    void vscode.window.showWarningMessage('BYOK AI: select the code to refactor first.');
    return 'failed';
  }
  const document = editor.document;
  const selection = new vscode.Range(editor.selection.start, editor.selection.end);
  const version = document.version;
  const choice: RefactorChoice | undefined = await (async () => {
    const override = options.override ?? (options.choose ? await askProviderAndModel(dependencies) : undefined);
    if (options.choose && !override) return undefined;
    const instruction = options.instruction ?? await askInstruction();
    return instruction ? { instruction, ...override } : undefined;
  })();
  if (!choice) return 'cancelled';

  const context = codeContext(document, selection);
  const prompt = buildRefactorPrompt(context, choice.instruction);
  const { settings, providers } = dependencies;
  const providerId = choice.providerId ?? settings.selectedProviderId();
  const model = choice.model ?? settings.model(providerId);
  const known = providers.knownModels(providerId).find(option => option.id === model);
  if (known?.contextWindow && estimateTokens(prompt) * 2 > known.contextWindow) {
    void vscode.window.showErrorMessage(`BYOK AI: the selection is too large for ${model} (about ${estimateTokens(prompt)} tokens in, and as many out, for a ${known.contextWindow}-token window). Select less code or pick a larger model.`);
    return 'failed';
  }

  const streamRewrite = (overrideBudget: boolean): Thenable<{ text: string; result: TurnResult }> => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `BYOK AI: refactoring (${choice.instruction.slice(0, 40)})`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      activeRequests.add(abort);
      const subscription = token.onCancellationRequested(() => abort.abort());
      let text = '';
      try {
        const turn = dependencies.router.turn({
          feature: 'refactor',
          ...(choice.providerId ? { providerId: choice.providerId } : {}), ...(choice.model ? { model: choice.model } : {}),
          messages: [{ role: 'user', content: prompt }], system: 'You rewrite code exactly as instructed and reply with only the code.',
          maxOutputTokens: settings.maxOutputTokens(),
          ...(overrideBudget ? { overrideBudget: true } : {}),
        }, abort.signal);
        for await (const output of turn.parts) {
          if (output.type === 'text-delta') {
            text += output.text;
            progress.report({ message: `${text.split('\n').length} lines…` });
          } else if (output.type === 'retry-scheduled') {
            progress.report({ message: `retrying in ${Math.ceil(output.delayMs / 1000)} s…` });
          }
        }
        return { text, result: await turn.settled };
      } finally {
        subscription.dispose();
        activeRequests.delete(abort);
      }
    },
  );

  let answer: { text: string; result: TurnResult } | undefined;
  for (let overrideBudget = false; !answer;) {
    try {
      answer = await streamRewrite(overrideBudget);
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'aborted') return 'cancelled';
      // A budget refusal sent nothing; the user may send this one request anyway.
      if (error instanceof ProviderError && error.kind === 'budget' && !overrideBudget) {
        if (!await confirmOverBudget(dependencies, error)) return 'cancelled';
        overrideBudget = true;
        continue;
      }
      await showError(dependencies, error);
      return 'failed';
    }
  }

  const code = extractCode(answer.text);
  if (!code.trim()) {
    void vscode.window.showErrorMessage('BYOK AI: the model returned no code. Try again or rephrase the instruction.');
    return 'failed';
  }
  const lineText = document.lineAt(selection.start.line).text;
  const before = lineText.slice(0, selection.start.character);
  const replacement = fitToSelection(code, {
    original: document.getText(selection),
    leadingIndent: /^\s+$/.test(before) ? before : '',
    eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
  });

  const costText = formatUsd(answer.result.cost);
  if (settings.refactorShowDiff()) {
    const title = refactorReviewTitle(path.basename(document.uri.path), choice.instruction, costText);
    const accepted = await reviewInDiff(previews, document, selection, replacement, title);
    if (!accepted) return 'discarded';
  }
  const outcome = await applyReplacement({ uri: document.uri, range: selection, version }, replacement);
  if (!outcome.applied) {
    void vscode.window.showWarningMessage(`BYOK AI: ${outcome.reason}`);
    return 'failed';
  }
  // Without a review diff the status bar is where the refactoring finishes, so the cost shows there.
  if (costText && !settings.refactorShowDiff()) vscode.window.setStatusBarMessage(`BYOK AI: refactoring applied — ${costText}`, 8_000);
  return 'applied';
}

async function reviewInDiff(previews: RefactorPreviewDocuments, document: vscode.TextDocument, selection: vscode.Range, replacement: string, title: string): Promise<boolean> {
  const fullText = document.getText();
  const proposed = fullText.slice(0, document.offsetAt(selection.start)) + replacement + fullText.slice(document.offsetAt(selection.end));
  const fileName = path.basename(document.uri.path);
  const left = previews.add(fileName, 'original', fullText);
  const right = previews.add(fileName, 'proposed', proposed);
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true, selection: new vscode.Range(selection.start, selection.start) });
  try {
    const apply = 'Apply';
    const choice = await vscode.window.showInformationMessage('Apply this refactoring? It becomes one undo step.', apply, 'Discard');
    return choice === apply;
  } finally {
    await closeDiff(right);
    previews.release(left, right);
  }
}

async function closeDiff(right: vscode.Uri): Promise<void> {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === right.toString()) await vscode.window.tabGroups.close(tab);
    }
  }
}

/** An unknown provider id (the error says so) still gets a notification, without a dashboard. */
function descriptorFor(dependencies: CommandContext, providerId: string): { id: string; label: string; dashboardUrl: string } {
  return dependencies.catalog.describe(providerId) ?? { id: providerId, label: providerId || 'BYOK AI', dashboardUrl: '' };
}

/** The same notification every command shows (one presentation table); no retry: the selection may have moved. */
async function showError(dependencies: CommandContext, error: unknown): Promise<void> {
  if (!(error instanceof ProviderError)) {
    void vscode.window.showErrorMessage(`BYOK AI: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  await showProviderError(descriptorFor(dependencies, error.providerId), error);
}

async function confirmOverBudget(dependencies: CommandContext, error: ProviderError): Promise<boolean> {
  const descriptor = descriptorFor(dependencies, error.providerId);
  const info = presentError(error, descriptor.dashboardUrl || undefined);
  const sendAnyway = errorActionLabels.sendAnyway;
  const choice = await vscode.window.showWarningMessage(errorNotificationText(descriptor.label, info), sendAnyway);
  return choice === sendAnyway;
}
