// The Anthropic Messages adapter: convert the request (anthropicPrompt.ts), map the stream
// (anthropicStream.ts), classify errors (httpErrors.ts, shared). An `error` event inside a 200 stream
// (for example `overloaded_error` after the text started) is thrown by the SDK and classified like an
// HTTP error body, so it becomes `overloaded` rather than a silently truncated answer.
// @see https://docs.anthropic.com/en/api/messages
// @see https://docs.anthropic.com/en/api/errors

import { AnthropicStreamMapper } from './anthropicStream';
import { toAnthropicPrompt } from './anthropicPrompt';
import { isRecord } from './errorBody';
import { classifyHttpFailure } from './httpErrors';
import { toProviderError } from './providerFailures';
import { describeTarget, isContentPart, resolveKey, runVerify, type AdapterSettings } from './providerSupport';
import type { ProviderDescriptor } from './registry';
import { loadAnthropic } from './sdk';
import { RequestGuard } from './streamGuards';
import type { ChatRequest, ChatStreamPart, ModelInfo, Provider, VerifyResult } from './types';

type AnthropicClient = InstanceType<Awaited<ReturnType<typeof loadAnthropic>>['Anthropic']>;

/** Used when the request sets no limit; the API requires max_tokens on every request. */
export const defaultAnthropicMaxTokens = 8192;
/** The model list is paginated; more pages than this means something is wrong, not more models. */
const maximumModelPages = 10;

export function createAnthropicProvider(descriptor: ProviderDescriptor, settings: AdapterSettings): Provider {
  const target = describeTarget(settings.baseUrl);

  function guardFor(signal: AbortSignal | undefined): RequestGuard {
    return new RequestGuard({ providerId: descriptor.id, target, timeouts: settings.timeouts, callerSignal: signal, fetch: settings.fetch });
  }

  async function createClient(key: string, guard: RequestGuard): Promise<AnthropicClient> {
    const { Anthropic } = await loadAnthropic();
    return new Anthropic({
      // SDK 1.12 sends this as `Authorization: Bearer <key>` (verified against the fake server in tests).
      // Always a string: with no credential at all the SDK would look for one in the environment and
      // in profile files on disk.
      apiKey: key,
      baseURL: settings.baseUrl,
      defaultHeaders: settings.headers,
      maxRetries: 0,
      timeout: 24 * 60 * 60 * 1000,
      fetch: guard.fetch,
      logLevel: 'off',
      // The SDK refuses to run where `window` exists, to keep keys out of web pages. The extension host
      // is not a web page and the key is the user's own; a webview test's global jsdom window would
      // otherwise trip the check.
      dangerouslyAllowBrowser: true,
    });
  }

  async function* streamChat(request: ChatRequest, apiKey: string | undefined, signal: AbortSignal): AsyncGenerator<ChatStreamPart, void, undefined> {
    const guard = guardFor(signal);
    try {
      guard.throwIfStopped();
      const key = resolveKey(descriptor, apiKey) ?? '';
      const client = await createClient(key, guard);
      const prompt = toAnthropicPrompt(request);
      const body = {
        model: request.model,
        max_tokens: request.maxOutputTokens ?? defaultAnthropicMaxTokens,
        messages: prompt.messages,
        ...(prompt.system ? { system: prompt.system } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        stream: true as const,
      };
      const mapper = new AnthropicStreamMapper(descriptor.id);
      const { data: stream, response } = await guard.connect(client.messages.create(body, { signal: guard.signal }).withResponse());
      if (/\bjson\b/i.test(response.headers.get('content-type') ?? '')) {
        // A proxy that ignored `stream: true` and answered with the whole Message.
        const message: unknown = await guard.connect(response.json() as Promise<unknown>);
        if (isRecord(message) && isRecord(message['error'])) throw classifyHttpFailure(descriptor.id, { status: undefined, body: message });
        yield* mapper.acceptMessage(message);
      } else {
        for await (const event of guard.events(stream as AsyncIterable<unknown>)) {
          for (const part of mapper.accept(event)) {
            if (isContentPart(part)) guard.markContent();
            yield part;
          }
        }
      }
      yield* mapper.finish(response.headers.get('content-type'));
    } catch (error) {
      throw toProviderError(error, { providerId: descriptor.id, target, guard });
    } finally {
      guard.dispose();
    }
  }

  /** @see https://docs.anthropic.com/en/api/models-list (cursor pagination, max_input_tokens, max_tokens) */
  async function listModels(apiKey: string | undefined, signal?: AbortSignal): Promise<ModelInfo[]> {
    const guard = guardFor(signal);
    try {
      const key = resolveKey(descriptor, apiKey) ?? '';
      const client = await createClient(key, guard);
      const models: ModelInfo[] = [];
      const seen = new Set<string>();
      let after: string | undefined;
      for (let page = 0; page < maximumModelPages; page++) {
        const result = await guard.complete(client.models.list({ limit: 1000, ...(after ? { after_id: after } : {}) }, { signal: guard.signal }));
        for (const entry of result.data as unknown[]) {
          const model = toModelInfo(entry);
          if (model && !seen.has(model.id)) {
            seen.add(model.id);
            models.push(model);
          }
        }
        const next = result.has_more ? result.last_id : null;
        if (!next || next === after) break;
        after = next;
      }
      return models;
    } catch (error) {
      throw toProviderError(error, { providerId: descriptor.id, target, guard });
    } finally {
      guard.dispose();
    }
  }

  async function verify(apiKey: string | undefined, signal?: AbortSignal): Promise<VerifyResult> {
    return runVerify(descriptor, settings.baseUrl, async () => (await listModels(apiKey, signal)).length);
  }

  return { id: descriptor.id, streamChat, listModels, verify };
}

function toModelInfo(entry: unknown): ModelInfo | undefined {
  if (!isRecord(entry) || typeof entry['id'] !== 'string' || !entry['id']) return undefined;
  const displayName = typeof entry['display_name'] === 'string' && entry['display_name'] ? entry['display_name'] : entry['id'];
  const contextWindow = typeof entry['max_input_tokens'] === 'number' && entry['max_input_tokens'] > 0 ? entry['max_input_tokens'] : undefined;
  const maxOutputTokens = typeof entry['max_tokens'] === 'number' && entry['max_tokens'] > 0 ? entry['max_tokens'] : undefined;
  return {
    id: entry['id'],
    displayName,
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
  };
}
