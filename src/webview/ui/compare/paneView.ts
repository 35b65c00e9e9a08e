// One pane of the comparison: who answers, the answer streaming in (the chat's sanitized
// incremental renderer), its figures, and its own Stop / Continue buttons. An error shows here,
// with its fix, and nowhere else.
import { metaFigures, type CompareMetrics, type CompareOutcome, type ComparePaneInfo, type ErrorInfo, type MessageMeta, type WebviewToHost } from '../../protocol';
import { renderErrorBox } from '../chat/errorBox';
import { renderMetaLine } from '../chat/metaLine';
import { button, h } from '../dom';
import { StreamingMarkdown, type StreamingOptions } from '../streamingMessage';

export interface PaneCallbacks {
  stop(): void;
  continueWith(): void;
  post(message: WebviewToHost): void;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** The figures under a pane: the chat's meta line (tokens, cost or "unpriced", first token, speed) plus the total time. */
export function paneMeta(info: ComparePaneInfo, metrics: CompareMetrics): MessageMeta {
  return { providerId: info.providerId, providerLabel: '', model: '', ...metaFigures(metrics) };
}

const outcomeLabels: Record<CompareOutcome | 'running', string> = { running: 'Writing…', ok: 'Done', aborted: 'Stopped', error: 'Failed', refused: 'Not sent' };

export class PaneView {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly state: HTMLElement;
  private readonly status: HTMLElement;
  private readonly body: HTMLElement;
  private readonly figures: HTMLElement;
  private readonly errorSlot: HTMLElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly continueButton: HTMLButtonElement;
  private readonly stream: StreamingMarkdown;
  /** The shared frame scheduler: the final render of four panes ending together must not be one long task. */
  private readonly schedule: (callback: () => void) => void;
  private outcome: CompareOutcome | 'running' = 'running';
  private metrics: CompareMetrics = {};

  constructor(readonly index: number, private info: ComparePaneInfo, private readonly callbacks: PaneCallbacks, streaming: StreamingOptions = {}) {
    this.title = h('span', { class: 'pane-title' });
    this.state = h('span', { class: 'pane-state', 'aria-live': 'polite' });
    this.stopButton = button('Stop this answer', 'debug-stop', () => callbacks.stop(), { className: 'secondary-button small pane-stop', text: 'Stop' });
    this.continueButton = button('Continue with this answer', 'comment-discussion', () => callbacks.continueWith(), { className: 'primary-button small pane-continue', text: 'Continue with this answer', disabled: true });
    this.status = h('div', { class: 'pane-status' });
    this.body = h('div', { class: 'pane-body markdown' });
    this.figures = h('div', { class: 'pane-figures' });
    this.errorSlot = h('div', { class: 'pane-error' });
    this.element = h('section', { class: 'pane running', 'data-pane': String(index), 'aria-label': `${info.providerLabel} · ${info.model}` },
      h('header', { class: 'pane-header' }, this.title, this.state, h('span', { class: 'pane-buttons' }, this.stopButton, this.continueButton)),
      this.status, this.body, this.errorSlot, this.figures);
    this.stream = new StreamingMarkdown(this.body, streaming);
    this.schedule = streaming.schedule ?? (callback => { requestAnimationFrame(() => callback()); });
    this.renderHeader();
    this.renderFigures();
  }

  get label(): string {
    return `${this.info.providerLabel} · ${this.info.model}`;
  }

  route(providerLabel: string, model: string): void {
    this.info = { ...this.info, providerLabel, model };
    this.renderHeader();
  }

  firstToken(latencyMs: number): void {
    this.metrics = { ...this.metrics, timeToFirstTokenMs: latencyMs };
    this.status.textContent = '';
    this.renderFigures();
  }

  append(text: string): void {
    this.stream.append(text);
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  end(outcome: CompareOutcome, text: string, metrics: CompareMetrics, error: ErrorInfo | undefined): void {
    this.outcome = outcome;
    this.metrics = metrics;
    this.schedule(() => this.stream.finish(text));
    this.status.textContent = '';
    this.errorSlot.replaceChildren(...(error ? [renderErrorBox(error, undefined, this.callbacks.post)] : []));
    this.stopButton.disabled = true;
    this.continueButton.disabled = text.trim() === '';
    this.element.classList.remove('running');
    this.element.classList.add(`outcome-${outcome}`);
    this.renderHeader();
    this.renderFigures();
  }

  /** The comparison was not sent at all: the pane says so, without an error of its own. */
  refused(): void {
    this.outcome = 'refused';
    this.stopButton.disabled = true;
    this.element.classList.remove('running');
    this.element.classList.add('outcome-refused');
    this.renderHeader();
  }

  get finished(): boolean {
    return this.outcome !== 'running';
  }

  private renderHeader(): void {
    this.title.textContent = `${this.info.providerLabel} · ${this.info.model}`;
    this.state.textContent = outcomeLabels[this.outcome];
    this.element.setAttribute('aria-label', this.label);
  }

  private renderFigures(): void {
    const line = renderMetaLine(paneMeta(this.info, this.metrics));
    const total = this.metrics.totalMs !== undefined ? h('span', { class: 'meta-part meta-total', title: 'From sending to the last token' }, `total ${seconds(this.metrics.totalMs)}`) : undefined;
    if (total) line.append(h('span', { class: 'meta-separator', 'aria-hidden': 'true' }, ' \u00b7 '), total);
    this.figures.replaceChildren(line);
  }
}
