// The line under every answer: who answered, what it used, what it cost, how fast it was.
import type { MessageMeta, ModelChoice } from '../../protocol';
import { h } from '../dom';

export interface MetaPart {
  /** Names the part for styling and tests (`meta-model`, `meta-tokens`, …). */
  key: 'model' | 'tokens' | 'cost' | 'latency' | 'speed';
  text: string;
  /** Tooltip that spells the part out. */
  title: string;
}

const count = (value: number | undefined): string => (value === undefined ? '?' : value.toLocaleString('en-US'));

/** `$0.0123`, `< $0.0001` for a non-zero amount below that, `$12.35` from ten dollars on. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '< $0.0001';
  return `$${usd.toFixed(usd >= 10 ? 2 : 4)}`;
}

/** The parts of the meta line that are known, in reading order. */
export function metaParts(meta: MessageMeta): MetaPart[] {
  const parts: MetaPart[] = [];
  const served = meta.servedModel && meta.servedModel !== meta.model ? meta.servedModel : undefined;
  const model = [meta.providerLabel, meta.model].filter(part => part !== '').join(' \u00b7 ');
  if (model) {
    parts.push({
      key: 'model',
      text: served ? `${model} (${served})` : model,
      title: served ? `Asked ${meta.providerLabel} for ${meta.model}; ${served} answered.` : `Answered by ${model}`,
    });
  }
  if (meta.inputTokens !== undefined || meta.outputTokens !== undefined) {
    const cached = meta.cachedInputTokens !== undefined ? ` / ${count(meta.cachedInputTokens)} cached` : '';
    parts.push({
      key: 'tokens',
      text: `${count(meta.inputTokens)} in${cached} / ${count(meta.outputTokens)} out`,
      title: `Tokens: ${count(meta.inputTokens)} input${cached ? ` (${count(meta.cachedInputTokens)} of them read from the prompt cache)` : ''}, ${count(meta.outputTokens)} output`,
    });
  }
  if (meta.costUsd !== undefined) {
    parts.push({ key: 'cost', text: formatCost(meta.costUsd), title: `This answer cost ${formatCost(meta.costUsd)} at ${meta.providerLabel}'s published price` });
  } else if (meta.unpriced) {
    parts.push({ key: 'cost', text: 'unpriced', title: 'No price is known for this model, so its cost is not counted (it is not free)' });
  }
  if (meta.latencyMs !== undefined) {
    parts.push({ key: 'latency', text: `first token ${(meta.latencyMs / 1000).toFixed(1)} s`, title: 'Time from sending to the first token' });
  }
  if (meta.tokensPerSecond !== undefined && Number.isFinite(meta.tokensPerSecond)) {
    const speed = meta.tokensPerSecond >= 10 ? meta.tokensPerSecond.toFixed(0) : meta.tokensPerSecond.toFixed(1);
    parts.push({ key: 'speed', text: `${speed} tok/s`, title: 'Output tokens per second, first to last token' });
  }
  return parts;
}

export function formatMeta(meta: MessageMeta): string {
  return metaParts(meta).map(part => part.text).join(' \u00b7 ');
}

export function formatChoice(choice: ModelChoice): string {
  return choice.model ? `${choice.providerLabel} \u00b7 ${choice.model}` : choice.providerLabel;
}

/** The `.meta` element; each part is its own span so the line wraps between parts, not inside them. */
export function renderMetaLine(meta: MessageMeta): HTMLElement {
  const parts = metaParts(meta);
  const line = h('span', { class: 'meta' });
  parts.forEach((part, index) => {
    if (index > 0) line.append(h('span', { class: 'meta-separator', 'aria-hidden': 'true' }, ' \u00b7 '));
    line.append(h('span', { class: `meta-part meta-${part.key}`, title: part.title }, part.text));
  });
  return line;
}
