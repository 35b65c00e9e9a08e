// The usage dashboard webview: draws what the host aggregated. uPlot draws on a canvas (no inline
// styles or eval, so it works under the strict CSP); every chart also has a plain table.
import uPlot from 'uplot';
import type { UsageHostToWebview, UsageView, UsageWebviewToHost } from '../protocol';

interface VsCodeApi { postMessage(message: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();
const send = (message: UsageWebviewToHost): void => api.postMessage(message);

const app = document.getElementById('app')!;
let chart: uPlot | undefined;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, options: { text?: string; className?: string; attributes?: Record<string, string> } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.text !== undefined) node.textContent = options.text;
  if (options.className) node.className = options.className;
  for (const [name, value] of Object.entries(options.attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const usd = (value: number): string => value === 0 ? '$0.00' : value < 0.0001 ? '< $0.0001' : value < 1 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
// One formatter for every cell: toLocaleString builds a new one per call, which the first paint pays per row.
const counter = new Intl.NumberFormat('en-US');
const count = (value: number): string => counter.format(value);

/** Chart colours from the theme, so the dashboard follows light, dark and high-contrast themes. */
function palette(): string[] {
  const style = getComputedStyle(document.body);
  return ['blue', 'orange', 'green', 'purple', 'red', 'yellow'].map(name => style.getPropertyValue(`--vscode-charts-${name}`).trim() || '#888');
}

function select(label: string, value: string | undefined, options: { id: string; label: string }[], onChange: (value: string | undefined) => void): HTMLElement {
  const control = element('select', { attributes: { 'aria-label': label } }, element('option', { text: `All ${label.toLowerCase()}`, attributes: { value: '' } }));
  for (const option of options) {
    const item = element('option', { text: option.label, attributes: { value: option.id } });
    if (option.id === value) item.selected = true;
    control.append(item);
  }
  control.addEventListener('change', () => onChange(control.value || undefined));
  return element('label', { className: 'filter' }, element('span', { text: label }), control);
}

function toolbar(view: UsageView): HTMLElement {
  const ranges = element('div', { className: 'ranges', attributes: { role: 'group', 'aria-label': 'Range' } });
  for (const days of [7, 30, 90] as const) {
    const button = element('button', { text: `${days} days`, attributes: { type: 'button', 'aria-pressed': String(view.filter.days === days) } });
    button.addEventListener('click', () => send({ type: 'usage/filter', filter: { ...view.filter, days } }));
    ranges.append(button);
  }
  const filters = element('div', { className: 'filters' },
    select('Workspaces', view.filter.workspace, view.choices.workspaces, workspace => send({ type: 'usage/filter', filter: { ...view.filter, workspace } })),
    select('Providers', view.filter.provider, view.choices.providers, provider => send({ type: 'usage/filter', filter: { ...view.filter, provider } })),
    select('Features', view.filter.feature, view.choices.features.map(id => ({ id, label: id })), feature => send({ type: 'usage/filter', filter: { ...view.filter, feature } })),
  );
  const actions = element('div', { className: 'actions' });
  for (const [command, label] of [['refreshPrices', 'Refresh Prices'], ['exportUsage', 'Export…'], ['clearUsage', 'Clear…']] as const) {
    const button = element('button', { text: label, attributes: { type: 'button' } });
    button.addEventListener('click', () => send({ type: 'usage/command', command }));
    actions.append(button);
  }
  return element('div', { className: 'toolbar' }, ranges, filters, actions);
}

function summary(view: UsageView): HTMLElement {
  const prices = view.priceData.bundled ? `bundled ${view.priceData.version}` : `${view.priceData.version}`;
  const unpriced = view.unpricedRequests ? ` · ${count(view.unpricedRequests)} unpriced` : '';
  return element('p', { className: 'summary', attributes: { 'aria-live': 'polite' } },
    element('strong', { text: usd(view.totalUsd) }), document.createTextNode(` over ${view.filter.days} days · ${count(view.requests)} request${view.requests === 1 ? '' : 's'}${unpriced} · prices: ${prices}`));
}

function budgets(view: UsageView): HTMLElement {
  const section = element('section', { attributes: { 'aria-label': 'Budgets' } }, element('h2', { text: 'Budgets' }));
  if (view.budgets.length === 0) { section.append(element('p', { text: 'No budget set (byok.budget.* in your user settings).', className: 'muted' })); return section; }
  for (const bar of view.budgets) {
    const used = Math.min(100, (bar.spentUsd / bar.limitUsd) * 100);
    const projected = bar.projectedUsd !== undefined ? ` · projected ${usd(bar.projectedUsd)}` : '';
    const track = element('div', { className: `track${used >= 80 ? ' warn' : ''}`, attributes: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(bar.limitUsd), 'aria-valuenow': String(bar.spentUsd), 'aria-label': bar.label } },
      element('div', { className: `fill w${Math.round(used / 5) * 5}` }));
    section.append(element('div', { className: 'budget' }, element('span', { text: `${bar.label}: ${usd(bar.spentUsd)} of ${usd(bar.limitUsd)}${projected}` }), track));
  }
  return section;
}

function spendChart(view: UsageView, container: HTMLElement): void {
  chart?.destroy();
  chart = undefined;
  if (view.providers.length === 0) { container.append(element('p', { text: 'No priced requests in this range.', className: 'muted' })); return; }
  const colours = palette();
  const x = view.days.map(day => new Date(`${day}T12:00:00`).getTime() / 1000);
  // Stacked: each series is the running total up to its provider, drawn largest first.
  const stacked: number[][] = [];
  view.spendByProvider.forEach((series, index) => stacked.push(series.map((value, day) => value + (index ? stacked[index - 1]![day]! : 0))));
  const series: uPlot.Series[] = [{}];
  const data: uPlot.AlignedData = [x];
  for (let index = stacked.length - 1; index >= 0; index--) {
    const colour = colours[index % colours.length]!;
    series.push({ label: view.providers[index]!.label, fill: colour, stroke: colour, paths: uPlot.paths.bars!({ size: [0.7, 40] }), points: { show: false }, value: (_self, value) => value == null ? '' : usd(value) });
    data.push(stacked[index]!);
  }
  const foreground = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#ccc';
  chart = new uPlot({
    width: Math.max(320, container.clientWidth || 640), height: 260, series,
    axes: [{ stroke: foreground }, { stroke: foreground, values: (_self, ticks) => ticks.map(tick => `$${tick.toFixed(2)}`) }],
    scales: { x: { time: true } },
  }, data, container);
}

function spendTable(view: UsageView): HTMLElement {
  const head = element('tr', {}, element('th', { text: 'Day', attributes: { scope: 'col' } }), ...view.providers.map(provider => element('th', { text: provider.label, attributes: { scope: 'col' } })));
  const body = element('tbody');
  view.days.forEach((day, index) => {
    if (view.spendByProvider.every(series => !series[index])) return;
    body.append(element('tr', {}, element('th', { text: day, attributes: { scope: 'row' } }), ...view.spendByProvider.map(series => element('td', { text: usd(series[index] ?? 0) }))));
  });
  return element('details', {}, element('summary', { text: 'Spend per day as a table' }), element('table', {}, element('thead', {}, head), body));
}

function modelTable(view: UsageView): HTMLElement {
  const headers = ['Provider', 'Model', 'Requests', 'Tokens in', 'Cached', 'Tokens out', 'Cost', 'Median TTFT', 'Median tokens/s', 'Errors'];
  const head = element('tr', {}, ...headers.map(text => element('th', { text, attributes: { scope: 'col' } })));
  const body = element('tbody');
  const label = new Map(view.choices.providers.map(provider => [provider.id, provider.label]));
  for (const row of view.models) {
    const cost = row.unpricedRequests ? `${usd(row.costUsd)} + ${row.unpricedRequests} unpriced` : usd(row.costUsd);
    body.append(element('tr', {},
      element('td', { text: label.get(row.provider) ?? row.provider }), element('th', { text: row.model, attributes: { scope: 'row' } }),
      element('td', { text: count(row.requests) }), element('td', { text: count(row.inputTokens) }), element('td', { text: count(row.cachedTokens) }),
      element('td', { text: count(row.outputTokens) }), element('td', { text: cost }),
      element('td', { text: row.medianTtftMs !== undefined ? `${Math.round(row.medianTtftMs)} ms` : '—' }),
      element('td', { text: row.medianTokensPerSecond !== undefined ? row.medianTokensPerSecond.toFixed(1) : '—' }),
      element('td', { text: `${(row.errorRate * 100).toFixed(1)} %` })));
  }
  return element('section', { attributes: { 'aria-label': 'Models' } }, element('h2', { text: 'Models' }), element('table', {}, element('thead', {}, head), body));
}

function render(view: UsageView): void {
  const chartContainer = element('div', { className: 'chart', attributes: { role: 'img', 'aria-label': `Spend per day for ${view.filter.days} days, stacked by provider; the table below has the same numbers` } });
  app.replaceChildren(
    element('h1', { text: 'BYOK AI Usage' }), toolbar(view), summary(view), budgets(view),
    element('section', { attributes: { 'aria-label': 'Spend per day' } }, element('h2', { text: 'Spend per day' }), chartContainer, spendTable(view)),
    modelTable(view),
  );
  spendChart(view, chartContainer);
}

window.addEventListener('message', event => {
  const message = event.data as UsageHostToWebview;
  if (message?.type === 'usage/state') render(message.view);
});
send({ type: 'ready', view: 'usage' });
