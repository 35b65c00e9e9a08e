// The comparison webview: one pane per model, streaming side by side. Draws what the host posts;
// sends back only button presses (stop, continue, diff, export, code and link clicks), which the
// host validates (src/webview/comparePanelMessages.ts).
import type { CompareHostToWebview, CompareWebviewToHost, WebviewToHost } from '../protocol';
import { button, h } from './dom';
import { codeActionForButton, linkMessage, renderMarkdownFragment } from './markdown';
import { frameBudgetScheduler } from './compare/frameBudget';
import { PaneView } from './compare/paneView';
import { isFromHost } from './vscodeApi';

interface VsCodeApi { postMessage(message: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();
const send = (message: CompareWebviewToHost): void => api.postMessage(message);
/** The messages the chat's shared components (error box, code toolbar) post are a subset the host accepts here too. */
const sendShared = (message: WebviewToHost): void => {
  if (message.type === 'code/action' || message.type === 'link/open' || message.type === 'error/action') send(message);
};

const app = document.getElementById('app')!;
/** Shared by the panes, so four renders never pile up in one frame. */
const schedule = frameBudgetScheduler();
const warmUpMarkdown = '# a\n\n**b** `c` [d](https://example.com)\n\n- e\n\n```ts\nconst f = (g: number): string => `${g}`;\n```\n\n```python\ndef h(): return 1\n```\n';
let warmedUp = false;
let panes: PaneView[] = [];
const grid = h('div', { class: 'panes' });
const prompt = h('div', { class: 'prompt' });
const notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
const leftSelect = h('select', { 'aria-label': 'Diff: first answer' });
const rightSelect = h('select', { 'aria-label': 'Diff: second answer' });
const stopAll = button('Stop all answers', 'debug-stop', () => send({ type: 'compare/stop' }), { className: 'secondary-button', text: 'Stop all' });
const diff = button('Diff the code of two answers', 'diff', () => {
  const left = Number(leftSelect.value);
  const right = Number(rightSelect.value);
  if (left === right) { notice.textContent = 'Pick two different answers to diff.'; return; }
  send({ type: 'compare/diff', left, right });
}, { className: 'secondary-button', text: 'Diff' });
const exportButton = button('Export the comparison as Markdown', 'save', () => send({ type: 'compare/export' }), { className: 'secondary-button', text: 'Export' });
app.append(
  h('header', { class: 'compare-header' }, prompt,
    h('div', { class: 'toolbar' }, stopAll, h('span', { class: 'diff-controls' }, leftSelect, rightSelect, diff), exportButton)),
  notice, grid);

grid.addEventListener('click', event => {
  const target = event.target as Element | null;
  const codeButton = target?.closest('button.code-action');
  if (codeButton) {
    const message = codeActionForButton(codeButton);
    if (message) sendShared(message);
    return;
  }
  const link = target?.closest('[data-href]');
  if (link) {
    event.preventDefault();
    const message = linkMessage(link.getAttribute('data-href') ?? '');
    if (message) sendShared(message);
  }
});

function fillDiffChoices(): void {
  for (const [select, preferred] of [[leftSelect, 0], [rightSelect, 1]] as const) {
    select.replaceChildren(...panes.map(pane => h('option', { value: String(pane.index) }, pane.label)));
    select.value = String(Math.min(preferred, panes.length - 1));
  }
}

function updateToolbar(): void {
  stopAll.disabled = panes.every(pane => pane.finished);
}

function handle(message: CompareHostToWebview): void {
  switch (message.type) {
    case 'compare/start':
      notice.textContent = '';
      prompt.replaceChildren(h('span', { class: 'prompt-label' }, 'Prompt'), h('span', { class: 'prompt-text' }, message.prompt),
        ...message.attachments.map(chip => h('span', { class: 'chip', title: chip.label }, chip.label)));
      panes = message.panes.map((info, index) => new PaneView(index, info, {
        stop: () => send({ type: 'compare/stop', pane: index }),
        continueWith: () => send({ type: 'compare/continue', pane: index }),
        post: sendShared,
      }, { schedule }));
      grid.className = `panes panes-${panes.length}`;
      grid.replaceChildren(...panes.map(pane => pane.element));
      fillDiffChoices();
      updateToolbar();
      // While the models think (first tokens take hundreds of ms), warm the renderer up once — parser,
      // sanitizer, highlighter — so the first deltas of four panes do not pay for it in one frame.
      if (!warmedUp) { warmedUp = true; schedule(() => { renderMarkdownFragment(warmUpMarkdown); }); }
      return;
    case 'compare/route':
      panes[message.pane]?.route(message.providerLabel, message.model);
      fillDiffChoices();
      return;
    case 'compare/first-token':
      panes[message.pane]?.firstToken(message.latencyMs);
      return;
    case 'compare/delta':
      if (message.text) panes[message.pane]?.append(message.text);
      return;
    case 'compare/status':
      panes[message.pane]?.setStatus(message.status);
      return;
    case 'compare/end':
      panes[message.pane]?.end(message.outcome, message.text, message.metrics, message.error);
      updateToolbar();
      return;
    case 'compare/refused':
      for (const pane of panes) pane.refused();
      notice.replaceChildren(h('strong', {}, message.error.title ?? 'Not sent'), ` ${message.error.message} ${message.error.fix}`);
      updateToolbar();
      return;
    case 'compare/notice':
      notice.textContent = message.text;
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isFromHost(event)) return;
  const data = event.data;
  if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') handle(data as CompareHostToWebview);
});
send({ type: 'ready', view: 'compare' });
