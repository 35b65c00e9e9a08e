// Router overhead in plain Node: time to first token and total time of one streamed answer through
// the real Router + adapter, against the bare SDK call, both on the same FakeProviderServer replaying
// the same transcript. Runs alternate (ours, bare / bare, ours) so drift hits both equally.
// Bundled by scripts/bench/build.mjs; prints one `BYOK_BENCH_RESULT {json}` line.
//   node routerBench.cjs --runs 30 --warmups 5 --long-deltas 2000
import { FakeProviderServer, loadFixture } from '../../test/fakes/fakeProviderServer';
import { families, streamHeaders, type FaultFamily } from '../../test/unit/faults/faultSupport';
import { createProvider } from '../../src/providers/index';
import { loadAnthropic, loadGemini, loadOpenAI } from '../../src/providers/sdk';
import { Router, defaultRetryPolicy } from '../../src/router';
import { makeAnswer } from './answer.mjs';

const key = 'bench-KEY-not-a-real-key-0000000000';
const system = 'You are a concise, expert coding assistant inside VS Code. Answer in Markdown and put code in fenced blocks with a language tag.';
const prompt = 'What is 1231 times 2331?';
const maxOutputTokens = 8192;

interface Timing { ttftMs: number; totalMs: number; text: string }
type Run = () => Promise<Timing>;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

/** Consumes a stream, noting when the first piece of answer text arrives. */
async function timeStream<T>(start: number, stream: AsyncIterable<T>, textOf: (item: T) => string | undefined): Promise<Timing> {
  let ttftMs = NaN;
  let text = '';
  for await (const item of stream) {
    const piece = textOf(item);
    if (piece) {
      if (Number.isNaN(ttftMs)) ttftMs = performance.now() - start;
      text += piece;
    }
  }
  return { ttftMs, totalMs: performance.now() - start, text };
}

const basePath = (family: FaultFamily): string => new URL(family.descriptor.defaultBaseUrl).pathname.replace(/\/+$/, '');

/** Our path, wired like ProviderHub.routerDependencies(): a cached provider instance, key per request. */
function ours(family: FaultFamily, server: FakeProviderServer): Run {
  const descriptor = family.descriptor;
  const provider = createProvider(descriptor, { baseUrl: server.url + basePath(family) });
  const router = new Router({
    selection: () => ({ providerId: descriptor.id, model: family.model }),
    resolve: (providerId, model) => {
      const known = descriptor.catalog.find(entry => entry.id === (model || family.model));
      return {
        provider, providerId, providerLabel: descriptor.label, family: descriptor.family, model: model || family.model,
        keyRequired: descriptor.quirks.keyRequired, contextWindow: known?.contextWindow, maxOutputTokens: known?.maxOutputTokens,
      };
    },
    getKey: async () => key,
    retryPolicy: () => defaultRetryPolicy,
  });
  return async () => {
    const start = performance.now();
    const turn = router.turn({ feature: 'chat', messages: [{ role: 'user', content: prompt }], system, maxOutputTokens }, new AbortController().signal);
    const timing = await timeStream(start, turn.parts, output => (output.type === 'text-delta' ? output.text : undefined));
    // A turn is over when it settled (priced, afterSettle ran): that is part of what the router costs.
    await turn.settled;
    return { ...timing, totalMs: performance.now() - start };
  };
}

/** The bare SDK calls the issue names, each with one client made up front (the cheapest way to use an SDK). */
async function bare(family: FaultFamily, server: FakeProviderServer): Promise<Record<string, Run>> {
  const baseUrl = server.url + basePath(family);
  if (family.name === 'openai') {
    const { OpenAI } = await loadOpenAI();
    const client = new OpenAI({ apiKey: key, baseURL: baseUrl, maxRetries: 0, organization: null, project: null });
    return {
      'chat.completions.create (stream)': async () => {
        const start = performance.now();
        const stream = await client.chat.completions.create({
          model: family.model, stream: true, stream_options: { include_usage: true }, max_completion_tokens: maxOutputTokens,
          messages: [{ role: 'system', content: system }, { role: 'user', content: prompt }],
        });
        return timeStream(start, stream, chunk => chunk.choices[0]?.delta?.content ?? undefined);
      },
    };
  }
  if (family.name === 'anthropic') {
    const { Anthropic } = await loadAnthropic();
    const client = new Anthropic({ apiKey: key, baseURL: baseUrl, maxRetries: 0 });
    const body = { model: family.model, max_tokens: maxOutputTokens, system, messages: [{ role: 'user' as const, content: prompt }] };
    type Event = { type: string; delta?: { type: string; text?: string } };
    const textOf = (event: Event) => (event.type === 'content_block_delta' && event.delta?.type === 'text_delta' ? event.delta.text : undefined);
    return {
      'messages.stream': async () => {
        const start = performance.now();
        return timeStream(start, client.messages.stream(body) as AsyncIterable<Event>, textOf);
      },
      // What the adapter itself calls: the raw event stream, without MessageStream's accumulation.
      'messages.create (stream: true)': async () => {
        const start = performance.now();
        const stream = await client.messages.create({ ...body, stream: true });
        return timeStream(start, stream as AsyncIterable<Event>, textOf);
      },
    };
  }
  const { GoogleGenAI } = await loadGemini();
  const client = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl } });
  return {
    'models.generateContentStream': async () => {
      const start = performance.now();
      const stream = await client.models.generateContentStream({
        model: family.model, contents: [{ role: 'user', parts: [{ text: prompt }] }],
        config: { systemInstruction: system, maxOutputTokens },
      });
      return timeStream(start, stream, chunk => chunk.candidates?.[0]?.content?.parts?.map(part => part.text ?? '').join('') || undefined);
    },
  };
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(middle)] ?? NaN) + (sorted[Math.ceil(middle)] ?? NaN)) / 2;
}

async function main(): Promise<void> {
  const runs = option('runs', 30);
  const warmups = option('warmups', 5);
  const longDeltas = option('long-deltas', 2000);
  const gc = (globalThis as { gc?: () => void }).gc;
  const long = makeAnswer({ tokens: longDeltas, seed: 7 });

  // One server replays the recorded transcripts, the other a long generated answer in each family's
  // own wire format (test/unit/faults/faultSupport.ts), written in 16 KB pieces.
  const recorded = await new FakeProviderServer().start();
  const generated = await new FakeProviderServer().start();
  for (const family of families) {
    recorded.replay('POST', family.path, loadFixture(family.fixture));
    const body = Buffer.from(family.stream(long.deltas));
    generated.route('POST', family.path, (_request, response) => {
      response.writeHead(200, streamHeaders);
      for (let offset = 0; offset < body.length; offset += 16_384) response.write(body.subarray(offset, offset + 16_384));
      response.end();
    });
  }

  const results = [];
  try {
    for (const family of families) {
      for (const [transcript, server] of [['recorded', recorded], ['long', generated]] as const) {
        const candidates: Record<string, Run> = { ours: ours(family, server) };
        for (const [name, run] of Object.entries(await bare(family, server))) candidates[`bare ${name}`] = run;
        const names = Object.keys(candidates);
        const samples: Record<string, Timing[]> = Object.fromEntries(names.map(name => [name, []]));
        for (let round = 0; round < warmups + runs; round++) {
          // Rotate the order every round so neither side always goes first.
          const order = names.map((_, index) => names[(index + round) % names.length] ?? '');
          gc?.();
          for (const name of order) {
            const timing = await (candidates[name] as Run)();
            if (round >= warmups) (samples[name] as Timing[]).push(timing);
            recorded.requests.length = 0;
            generated.requests.length = 0;
          }
        }
        const texts = new Set(names.map(name => samples[name]?.[0]?.text));
        results.push({
          family: family.name,
          transcript,
          source: transcript === 'recorded' ? `test/fixtures/providers/${family.fixture}` : `${long.deltas.length} generated deltas (${long.text.length} characters) in the ${family.name} wire format`,
          sameText: texts.size === 1,
          textLength: samples['ours']?.[0]?.text.length ?? 0,
          candidates: Object.fromEntries(names.map(name => {
            const timings = samples[name] ?? [];
            return [name, {
              ttftMs: timings.map(timing => timing.ttftMs),
              totalMs: timings.map(timing => timing.totalMs),
              medianTtftMs: median(timings.map(timing => timing.ttftMs)),
              medianTotalMs: median(timings.map(timing => timing.totalMs)),
            }];
          })),
        });
      }
    }
  } finally {
    await recorded.stop();
    await generated.stop();
  }
  console.log(`BYOK_BENCH_RESULT ${JSON.stringify({ runs, warmups, longDeltas: long.deltas.length, node: process.version, results })}`);
}

main().catch(error => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
