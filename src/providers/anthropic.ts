// The Anthropic Messages adapter: convert the request (anthropicPrompt.ts), map the stream
// (anthropicStream.ts), classify errors (httpErrors.ts, shared). An `error` event inside a 200 stream
// (for example `overloaded_error` after the text started) is thrown by the SDK and classified like an
// HTTP error body, so it becomes `overloaded` rather than a silently truncated answer.
// @see https://docs.anthropic.com/en/api/messages
// @see https://docs.anthropic.com/en/api/errors

import { AnthropicStreamMapper } from './anthropicStream';
import { toAnthropicPrompt } from './anthropicPrompt';
import { isRecord } from './errorBody';
import { guardedRequests, relay, stainlessClientOptions } from './guardedRequests';
import { resolveKey, runVerify, type AdapterSettings } from './providerSupport';
import type { ProviderDescriptor } from './registry';
import { loadAnthropic } from './sdk';
import type { RequestGuard } from './streamGuards';
import type { ChatRequest, ChatStreamPart, ModelInfo, Provider, VerifyResult } from './types';

type AnthropicClient = InstanceType<Awaited<ReturnType<typeof loadAnthropic>>['Anthropic']>;

/** Used when the request sets no limit; the API requires max_tokens on every request. */
export const defaultAnthropicMaxTokens = 8192;
/** The model list is paginated; more pages than this means something is wrong, not more models. */
const maximumModelPages = 10;

export function createAnthropicProvider(descriptor: ProviderDescriptor, settings: AdapterSettings): Provider {
  const requests = guardedRequests(descriptor, settings);

  async function createClient(key: string, guard: RequestGuard): Promise<AnthropicClient> {
    const { Anthropic } = await loadAnthropic();
    return new Anthropic({
      // SDK 1.12 sends this as `Authorization: Bearer <key>` (verified against the fake server in tests).
      // Always a string: with no credential at all the SDK would look for one in the environment and
      // in profile files on disk.
      apiKey: key,
      baseURL: settings.baseUrl,
      defaultHeaders: settings.headers,
      ...stainlessClientOptions(guard),
    });
  }

  function streamChat(request: ChatRequest, apiKey: string | undefined, signal: AbortSignal): AsyncGenerator<ChatStreamPart, void, undefined> {
    return requests.stream(signal, async function* (guard) {
      const key = resolveKey(descriptor, apiKey) ?? '';
      const client = await createClient(key, guard);
      const prompt = toAnthropicPrompt(request);
      const body = {
        model: request.model,
        max_tokens: request.maxOutputTokens ?? defaultAnthropicMaxTokens,
        messages: prompt.messages,
        ...(prompt.system ? { system: prompt.system } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.tools?.length ? {
          tools: request.tools.map(tool => ({ name: tool.name, description: tool.description, input_schema: { type: 'object' as const, ...tool.inputSchema } })),
          // @see https://docs.anthropic.com/en/docs/build-with-claude/tool-use/implement-tool-use#forcing-tool-use
          ...(request.toolMode === 'required' ? { tool_choice: { type: 'any' as const } } : {}),
        } : {}),
        stream: true as const,
      };
      const mapper = new AnthropicStreamMapper(descriptor.id);
      const { data: stream, response } = await guard.connect(client.messages.create(body, { signal: guard.signal }).withResponse());
      // A proxy that ignored `stream: true` answers with the whole Message.
      yield* relay(descriptor.id, guard, stream as AsyncIterable<unknown>, response, event => mapper.accept(event), message => mapper.acceptMessage(message));
      yield* mapper.finish(response.headers.get('content-type'));
    });
  }

  /** @see https://docs.anthropic.com/en/api/models-list (cursor pagination, max_input_tokens, max_tokens) */
  function listModels(apiKey: string | undefined, signal?: AbortSignal): Promise<ModelInfo[]> {
    return requests.run(signal, async guard => {
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
    });
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
