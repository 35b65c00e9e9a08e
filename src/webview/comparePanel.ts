// "BYOK AI: Compare Models…": one prompt to 2–4 provider/model pairs, streamed side by side in an
// editor webview with the chat's CSP, sanitizer and link handling. The fan-out itself is
// src/compare/fanOut.ts; this file is the VS Code side — pickers, the panel, "Continue with this
// answer", the diff and the export. Only text, figures and key-free errors are posted to the panel.

import * as vscode from 'vscode';
import type { Attachment } from '../chat/chatController';
import type { StoredMessage } from '../chat/conversation';
import { comparisonToMarkdown, codeOf, extensionFor } from '../compare/compareMarkdown';
import { Comparison, maximumPanes, minimumPanes, type CompareTarget, type PaneEvent, type PaneResult } from '../compare/fanOut';
import { lastTargetsKey, parseTargets, targetKey } from '../compare/targets';
import type { CommandContext } from '../commands/types';
import { presentError } from '../errorPresentation';
import { ProviderError, isProviderError } from '../providers/errors';
import { parseCompareMessage } from './comparePanelMessages';
import { runErrorCommand } from '../commands/showError';
import { runAnswerButton } from './hostActions';
import { renderWebviewHtml, webviewOptions } from './html';
import { metaFigures, type CompareHostToWebview, type CompareMetrics, type CompareOutcome, type CompareWebviewToHost, type ErrorInfo } from './protocol';

/** What `byok.compareModels` accepts: from the chat's Compare button a prompt; from tests also the targets. */
export interface CompareArgument {
  prompt?: string;
  targets?: CompareTarget[];
}

/** What the command resolves with once every pane settled (for tests and automation; no keys). */
export interface CompareSummary {
  panes: { providerId: string; model: string; outcome: CompareOutcome; text: string; metrics: CompareMetrics; errorKind?: string }[];
}

/** Deltas are posted at most this often per pane: four fast streams must not flood the webview. */
const deltaFlushMs = 16;

interface PaneState {
  target: CompareTarget;
  providerLabel: string;
  model: string;
  text: string;
  outcome: CompareOutcome | 'running';
  metrics: CompareMetrics;
  result?: PaneResult;
  error?: ErrorInfo;
  pendingText: string;
  pendingReasoning: string;
}

interface Run {
  comparison: Comparison;
  prompt: string;
  content: string;
  attachments: Attachment[];
  panes: PaneState[];
}

export function argumentOf(value: unknown): CompareArgument {
  if (!value || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  return {
    ...(typeof record.prompt === 'string' ? { prompt: record.prompt } : {}),
    ...(Array.isArray(record.targets) ? { targets: parseTargets(record.targets) } : {}),
  };
}

export class ComparePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private outbox: CompareHostToWebview[] = [];
  private run: Run | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly context: CommandContext) {}

  dispose(): void {
    this.run?.comparison.stopAll();
    this.panel?.dispose();
  }

  /** The command: asks for what is missing (prompt, models), opens the panel and runs the comparison. */
  async compare(value?: unknown): Promise<CompareSummary | undefined> {
    const argument = argumentOf(value);
    const prompt = argument.prompt?.trim() || await vscode.window.showInputBox({
      title: 'BYOK AI: Compare Models', prompt: 'The prompt to send to every model', placeHolder: 'Ask something…', ignoreFocusOut: true,
    });
    if (!prompt?.trim()) return undefined;
    const targets = argument.targets?.length ? argument.targets : await this.pickTargets();
    if (!targets) return undefined;
    if (targets.length < minimumPanes || targets.length > maximumPanes) {
      void vscode.window.showWarningMessage(`BYOK AI: pick ${minimumPanes} to ${maximumPanes} models to compare (you picked ${targets.length}).`);
      return undefined;
    }
    const unusable = targets.filter(target => !this.context.providers.usable(target.providerId));
    if (unusable.length) {
      // Still sent: the pane shows the reason with its fix, like any other failure.
      this.context.log.info(`compare: ${unusable.map(target => target.providerId).join(', ')} not ready; their panes will say why`);
    }
    await this.context.extension.globalState.update(lastTargetsKey, targets);
    const attachments = this.context.chat.takeAttachments();
    return this.start(prompt.trim(), attachments, targets);
  }

  private async pickTargets(): Promise<CompareTarget[] | undefined> {
    const { catalog, providers, settings } = this.context;
    await providers.refreshKeyPresence();
    const remembered = new Set(parseTargets(this.context.extension.globalState.get(lastTargetsKey)).map(targetKey));
    type Item = vscode.QuickPickItem & { target?: CompareTarget };
    const items: Item[] = [];
    for (const descriptor of catalog.all().filter(each => providers.usable(each.id))) {
      items.push({ label: descriptor.label, kind: vscode.QuickPickItemKind.Separator });
      const selected = settings.model(descriptor.id);
      const models = [selected, ...providers.knownModels(descriptor.id).map(option => option.id)].filter((model, index, all) => model && all.indexOf(model) === index);
      for (const model of models) {
        const target = { providerId: descriptor.id, model };
        items.push({ label: model, description: `${descriptor.label}${model === selected ? ' · selected' : ''}`, target, picked: remembered.has(targetKey(target)) });
      }
    }
    if (!items.some(item => item.target)) {
      void vscode.window.showWarningMessage('BYOK AI: no provider is ready. Set a key for at least one provider to compare models.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: `BYOK AI: Compare Models — pick ${minimumPanes} to ${maximumPanes}`, canPickMany: true, matchOnDescription: true, ignoreFocusOut: true,
    });
    return picked?.flatMap(item => item.target ? [item.target] : []);
  }

  private async start(prompt: string, attachments: Attachment[], targets: CompareTarget[]): Promise<CompareSummary> {
    this.run?.comparison.stopAll();
    const content = attachments.length ? [prompt, ...attachments.map(attachment => attachment.content)].join('\n\n') : prompt;
    const comparison = new Comparison({
      router: this.context.router,
      preflight: estimates => this.context.cost.checkGroup(estimates),
    }, targets, {
      messages: [{ role: 'user', content }],
      system: this.context.settings.systemPrompt(),
      maxOutputTokens: this.context.settings.maxOutputTokens(),
    });
    const label = (providerId: string): string => this.context.catalog.describe(providerId)?.label ?? providerId;
    const panes: PaneState[] = targets.map(target => ({
      target, providerLabel: label(target.providerId), model: target.model, text: '', outcome: 'running', metrics: {}, pendingText: '', pendingReasoning: '',
    }));
    this.show();
    this.outbox = [];
    this.post({
      type: 'compare/start', comparisonId: comparison.requestIds.join(','), prompt,
      attachments: attachments.map(({ id, label: chip, kind }) => ({ id, label: chip, kind })),
      panes: panes.map(pane => ({ providerId: pane.target.providerId, providerLabel: pane.providerLabel, model: pane.model })),
    });
    const run: Run = { comparison, prompt, content, attachments, panes };
    this.run = run;
    const running = comparison.run(event => this.onPaneEvent(run, event)).catch(error => {
      const refusal = isProviderError(error) ? error : new ProviderError({ kind: 'server', providerId: targets[0]!.providerId, message: String(error), retryable: false });
      for (const pane of panes) pane.outcome = 'refused';
      if (this.run === run) this.post({ type: 'compare/refused', error: this.errorInfo(refusal) });
      return undefined;
    });
    await running;
    this.flush(run);
    return {
      panes: panes.map(pane => ({
        providerId: pane.target.providerId, model: pane.model, outcome: pane.outcome === 'running' ? 'aborted' : pane.outcome, text: pane.text, metrics: pane.metrics,
        ...(pane.error ? { errorKind: pane.error.kind } : {}),
      })),
    };
  }

  private onPaneEvent(run: Run, event: PaneEvent): void {
    const pane = run.panes[event.pane];
    if (!pane) return;
    const current = this.run === run;
    switch (event.type) {
      case 'route':
        pane.providerLabel = event.providerLabel;
        pane.model = event.model;
        if (current) this.post({ type: 'compare/route', pane: event.pane, providerLabel: event.providerLabel, model: event.model });
        return;
      case 'first-token':
        pane.metrics.timeToFirstTokenMs = event.latencyMs;
        if (current) this.post({ type: 'compare/first-token', pane: event.pane, latencyMs: event.latencyMs });
        return;
      case 'delta':
        pane.text += event.text;
        pane.pendingText += event.text;
        if (current) this.scheduleFlush(run);
        return;
      case 'reasoning':
        pane.pendingReasoning += event.text;
        if (current) this.scheduleFlush(run);
        return;
      case 'status':
        if (current) this.post({ type: 'compare/status', pane: event.pane, status: event.status });
        return;
      case 'end': {
        const result = event.result;
        pane.result = result;
        pane.outcome = result.outcome;
        pane.metrics = result.metrics;
        pane.text = result.text;
        if (result.error && result.outcome !== 'aborted') pane.error = this.errorInfo(result.error);
        if (!current) return;
        this.flushPane(event.pane, pane);
        this.post({ type: 'compare/end', pane: event.pane, outcome: result.outcome, text: result.text, metrics: result.metrics, ...(pane.error ? { error: pane.error } : {}) });
        return;
      }
    }
  }

  private scheduleFlush(run: Run): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => { this.flushTimer = undefined; this.flush(run); }, deltaFlushMs);
  }

  private flush(run: Run): void {
    if (this.flushTimer) { clearTimeout(this.flushTimer); this.flushTimer = undefined; }
    if (this.run !== run) return;
    run.panes.forEach((pane, index) => this.flushPane(index, pane));
  }

  private flushPane(index: number, pane: PaneState): void {
    if (!pane.pendingText && !pane.pendingReasoning) return;
    this.post({ type: 'compare/delta', pane: index, ...(pane.pendingText ? { text: pane.pendingText } : {}), ...(pane.pendingReasoning ? { reasoning: pane.pendingReasoning } : {}) });
    pane.pendingText = '';
    pane.pendingReasoning = '';
  }

  /** Key-free, with the fix; the pane offers only actions that make sense outside the chat. */
  private errorInfo(error: ProviderError): ErrorInfo {
    const info = presentError(error, this.context.settings.describe(error.providerId)?.dashboardUrl);
    return { ...info, ...(info.actions ? { actions: info.actions.filter(action => action !== 'retry' && action !== 'sendAnyway') } : {}) };
  }

  // ---------- the panel ----------

  private show(): void {
    if (this.panel) { this.panel.reveal(vscode.ViewColumn.Active); return; }
    const panel = vscode.window.createWebviewPanel('byok.compare', 'Compare Models', vscode.ViewColumn.Active, { ...webviewOptions(this.context.extension.extensionUri), retainContextWhenHidden: true });
    this.panel = panel;
    this.ready = false;
    panel.webview.html = renderWebviewHtml(panel.webview, this.context.extension.extensionUri, 'compare', 'Compare Models');
    const subscription = panel.webview.onDidReceiveMessage(raw => {
      const message = parseCompareMessage(raw);
      if (!message) { this.context.log.warn('compare panel: dropped an invalid message'); return; }
      this.handle(message).catch(error => this.context.log.error(`compare panel: ${message.type} failed`, error));
    });
    panel.onDidDispose(() => {
      subscription.dispose();
      this.run?.comparison.stopAll();
      if (this.panel === panel) { this.panel = undefined; this.ready = false; this.outbox = []; }
    });
  }

  private post(message: CompareHostToWebview): void {
    if (!this.panel) return;
    if (!this.ready) { this.outbox.push(message); return; }
    void this.panel.webview.postMessage(message);
  }

  private async handle(message: CompareWebviewToHost): Promise<void> {
    const run = this.run;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        for (const queued of this.outbox.splice(0)) void this.panel?.webview.postMessage(queued);
        return;
      case 'compare/stop':
        if (message.pane === undefined) run?.comparison.stopAll(); else run?.comparison.stop(message.pane);
        return;
      case 'compare/continue':
        if (run) await this.continueWith(run, message.pane);
        return;
      case 'compare/diff':
        if (run) await this.diff(run, message.left, message.right);
        return;
      case 'compare/export':
        if (run) await this.export(run);
        return;
      case 'code/action':
      case 'link/open':
        await runAnswerButton(message);
        return;
      case 'error/action':
        if (message.action === 'retry' || message.action === 'sendAnyway') return;
        await runErrorCommand(message.action, message.providerId);
        return;
    }
  }

  /**
   * Adopts a pane's answer into the chat: a new turn whose chosen answer is this pane's, the other
   * answered panes kept as its alternatives. Then the chat switches to that provider and model.
   */
  async continueWith(run: Run, paneIndex: number): Promise<boolean> {
    const chosenPane = run.panes[paneIndex];
    if (!chosenPane || chosenPane.outcome === 'running' || !chosenPane.text) {
      void vscode.window.showInformationMessage('BYOK AI: that answer is not finished yet (or is empty).');
      return false;
    }
    const kept = run.panes.filter(pane => pane === chosenPane || (pane.outcome !== 'running' && pane.text));
    const answers = kept.map(pane => this.storedAnswer(pane));
    const adopted = await this.context.chat.adoptAnswers({ text: run.prompt, content: run.content, attachments: run.attachments.map(({ id, label, kind }) => ({ id, label, kind })) }, answers, kept.indexOf(chosenPane));
    if (!adopted) {
      void vscode.window.showWarningMessage('BYOK AI: the chat is still writing an answer. Continue once it has finished (or stop it).');
      return false;
    }
    const { settings } = this.context;
    await settings.setEnabled(chosenPane.target.providerId, true);
    await settings.setSelectedProvider(chosenPane.target.providerId);
    await settings.setModel(chosenPane.target.providerId, chosenPane.target.model);
    this.context.chat.sendChoice();
    this.post({ type: 'compare/notice', text: `Continued in the chat with ${chosenPane.providerLabel} · ${chosenPane.model}.` });
    await this.context.chatView.reveal();
    return true;
  }

  private storedAnswer(pane: PaneState): StoredMessage {
    const result = pane.result;
    return {
      id: globalThis.crypto.randomUUID(), role: 'assistant', text: pane.text, providerId: pane.target.providerId,
      ...(result?.settled ? { requestId: result.settled.requestId } : {}),
      ...(pane.outcome === 'aborted' ? { stopped: true } : {}),
      ...(pane.error ? { error: pane.error } : {}),
      ...(result?.reasoning ? { reasoning: result.reasoning } : {}),
      meta: { providerId: pane.target.providerId, providerLabel: pane.providerLabel, model: pane.model, ...metaFigures(pane.metrics) },
    };
  }

  private async diff(run: Run, left: number, right: number): Promise<void> {
    const [a, b] = [run.panes[left], run.panes[right]];
    if (!a || !b) return;
    const codeA = codeOf(a.text);
    const codeB = codeOf(b.text);
    const file = `answer.${extensionFor(codeA.language || codeB.language)}`;
    const previews = this.context.previews;
    const leftUri = previews.add(file, `${a.providerLabel} ${a.model}`.replace(/[\\/]/g, '-'), codeA.code);
    const rightUri = previews.add(file, `${b.providerLabel} ${b.model}`.replace(/[\\/]/g, '-'), codeB.code);
    await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, `${a.providerLabel} · ${a.model} ↔ ${b.providerLabel} · ${b.model}`, { preview: true });
  }

  private async export(run: Run): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      title: 'Export the comparison',
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? '/'), `byok-comparison-${new Date().toISOString().slice(0, 10)}.md`),
      filters: { Markdown: ['md'] },
    });
    if (!target) return;
    const text = comparisonToMarkdown(run.prompt, run.panes.map(pane => ({
      providerLabel: pane.providerLabel, model: pane.model, text: pane.text, outcome: pane.outcome, metrics: pane.metrics, ...(pane.error ? { errorMessage: pane.error.message } : {}),
    })), new Date());
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(`BYOK AI: exported the comparison to ${vscode.workspace.asRelativePath(target)}.`);
  }
}

const panels = new WeakMap<CommandContext, ComparePanel>();

/** The one comparison panel of this window, created on first use (activation does not load it). */
export function comparePanelFor(context: CommandContext): ComparePanel {
  let panel = panels.get(context);
  if (!panel) {
    panel = new ComparePanel(context);
    panels.set(context, panel);
    context.extension.subscriptions.push(panel);
  }
  return panel;
}
