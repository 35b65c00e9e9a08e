// Router overhead of a comparison in plain Node: four panes through the real Router and the
// fan-out (src/compare/fanOut.ts), each streaming from an in-process provider at 500 tokens/s,
// against the same four streams read straight from the providers. The provider costs the same on
// both sides, so the difference is what the router and the fan-out add per stream: to the first
// token (target < 2 ms) and per delta. Runs alternate (ours, bare / bare, ours) so drift hits both.
// Bundled by scripts/bench/build.mjs; prints one `BYOK_BENCH_RESULT {json}` line.
//   node compareBench.cjs --runs 20 --warmups 5 --tokens 500 --panes 4 --tokens-per-second 500
import { Comparison, type CompareTarget } from '../../src/compare/fanOut';
import type { ChatRequest, ChatStreamPart, ModelInfo, Provider, VerifyResult } from '../../src/providers/types';
import { Router, defaultRetryPolicy } from '../../src/router';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

const runs = option('runs', 20);
const warmups = option('warmups', 5);
const tokens = option('tokens', 500);
const panes = option('panes', 4);
const tokensPerSecond = option('tokens-per-second', 500);
const intervalMs = 1000 / tokensPerSecond;

/** Writes `tokens` words on a fixed schedule from the moment it is called (a late tick catches up). */
class PacedProvider implements Provider {
  constructor(readonly id: string) {}
  async *streamChat(_request: ChatRequest, _key: string | undefined, signal: AbortSignal): AsyncIterable<ChatStreamPart> {
    const start = performance.now();
    for (let index = 0; index < tokens; index++) {
      const due = start + index * intervalMs;
      const wait = due - performance.now();
      if (wait > 0.5) await new Promise(resolve => setTimeout(resolve, wait));
      if (signal.aborted) return;
      yield { type: 'text-delta', text: `w${index} ` };
    }
    yield { type: 'usage', usage: { inputTokens: 20, outputTokens: tokens } };
    yield { type: 'finish', unified: 'stop', raw: 'stop' };
  }
  async listModels(): Promise<ModelInfo[]> { return []; }
  async verify(): Promise<VerifyResult> { return { ok: true, latencyMs: 0 }; }
}

const providers = Array.from({ length: panes }, (_, index) => new PacedProvider(`p${index}`));
const router = new Router({
  selection: () => ({ providerId: 'p0', model: 'm' }),
  resolve: (providerId, model) => {
    const provider = providers.find(each => each.id === providerId);
    return provider ? { provider, providerId, providerLabel: providerId, family: 'openai', model: model || 'm', keyRequired: false, contextWindow: 128_000 } : undefined;
  },
  getKey: async () => undefined,
  retryPolicy: () => defaultRetryPolicy,
});
// The hooks a real window has: pricing and a ledger-like listener (cheap stand-ins).
router.use({ beforeSend: () => undefined, price: () => ({ source: 'unpriced' }), afterSettle: () => undefined });
const targets: CompareTarget[] = providers.map(provider => ({ providerId: provider.id, model: 'm' }));
const messages = [{ role: 'user' as const, content: 'Compare these answers, please.' }];

interface Sample { ttftMs: number[]; totalMs: number[] }

async function ours(): Promise<Sample> {
  const start = performance.now();
  const first: number[] = Array(panes).fill(NaN);
  const last: number[] = Array(panes).fill(NaN);
  const comparison = new Comparison({ router, preflight: async () => undefined }, targets, { messages, maxOutputTokens: 4096 });
  await comparison.run(event => {
    if (event.type !== 'delta') return;
    const now = performance.now();
    if (Number.isNaN(first[event.pane]!)) first[event.pane] = now - start;
    last[event.pane] = now - start;
  });
  return { ttftMs: first, totalMs: last };
}

async function bare(): Promise<Sample> {
  const start = performance.now();
  const timings = await Promise.all(providers.map(async provider => {
    let ttft = NaN;
    let lastAt = NaN;
    for await (const part of provider.streamChat({ model: 'm', messages }, undefined, new AbortController().signal)) {
      if (part.type !== 'text-delta') continue;
      const now = performance.now();
      if (Number.isNaN(ttft)) ttft = now - start;
      lastAt = now - start;
    }
    return { ttft, lastAt };
  }));
  return { ttftMs: timings.map(timing => timing.ttft), totalMs: timings.map(timing => timing.lastAt) };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  for (let index = 0; index < warmups; index++) { await ours(); await bare(); }
  const oursSamples: Sample[] = [];
  const bareSamples: Sample[] = [];
  for (let index = 0; index < runs; index++) {
    if (index % 2 === 0) { oursSamples.push(await ours()); bareSamples.push(await bare()); }
    else { bareSamples.push(await bare()); oursSamples.push(await ours()); }
  }
  // Per stream: the median over runs of (ours − bare) for that pane's first token and last token.
  const perStream = Array.from({ length: panes }, (_, pane) => {
    const addedTtft = oursSamples.map((sample, run) => sample.ttftMs[pane]! - bareSamples[run]!.ttftMs[pane]!);
    const addedTotal = oursSamples.map((sample, run) => sample.totalMs[pane]! - bareSamples[run]!.totalMs[pane]!);
    return {
      pane,
      medianTtftMs: round(median(oursSamples.map(sample => sample.ttftMs[pane]!))),
      medianBareTtftMs: round(median(bareSamples.map(sample => sample.ttftMs[pane]!))),
      medianAddedTtftMs: round(median(addedTtft)),
      medianAddedTotalMs: round(median(addedTotal)),
      addedMsPerDelta: round(median(addedTotal) / tokens, 5),
    };
  });
  const worstAddedTtftMs = Math.max(...perStream.map(stream => stream.medianAddedTtftMs));
  const streamSeconds = round(median(oursSamples.map(sample => Math.max(...sample.totalMs))) / 1000);
  console.log(`BYOK_BENCH_RESULT ${JSON.stringify({ runs, warmups, panes, tokens, tokensPerSecond, node: process.version, streamSeconds, worstAddedTtftMs, perStream })}`);
}

main().catch(error => { console.error(error); process.exit(1); });
