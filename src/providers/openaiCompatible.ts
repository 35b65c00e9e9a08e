// One adapter for every OpenAI-compatible vendor (OpenAI, Groq, xAI, DeepSeek, Together, Mistral,
// Cohere, Perplexity, local servers and custom endpoints). Vendors differ only by their registry
// quirks row — fields to strip, whether `stream_options` may be sent, the reasoning field, which API
// (Chat Completions or Responses), whether `GET /models` exists and whether a key is needed — so
// adding a vendor is one row in registry.ts, never code here.
// @see https://github.com/vercel/ai/tree/main/packages/openai-compatible (the pattern)
// @see https://platform.openai.com/docs/api-reference/chat/create
// @see https://platform.openai.com/docs/api-reference/responses/create

import { guardedRequests, relay, stainlessClientOptions } from './guardedRequests';
import { OpenAIChatStreamMapper } from './openaiChatStream';
import { parseOpenAIModelList } from './openaiModelList';
import { OpenAIResponsesStreamMapper } from './openaiResponsesStream';
import { catalogModels, resolveKey, runVerify, type AdapterSettings } from './providerSupport';
import type { OpenAICompatibleQuirks, ProviderDescriptor } from './registry';
import { loadOpenAI } from './sdk';
import type { RequestGuard } from './streamGuards';
import type { ChatMessage, ChatRequest, ChatStreamPart, ModelInfo, Provider, VerifyResult } from './types';

type OpenAIClient = InstanceType<Awaited<ReturnType<typeof loadOpenAI>>['OpenAI']>;
type ChatStreamingParams = import('openai').OpenAI.ChatCompletionCreateParamsStreaming;
type ChatParams = import('openai').OpenAI.ChatCompletionCreateParamsNonStreaming;
type ResponsesStreamingParams = import('openai').OpenAI.Responses.ResponseCreateParamsStreaming;
type ResponsesParams = import('openai').OpenAI.Responses.ResponseCreateParamsNonStreaming;
/** Request bodies are built as plain JSON: vendors take fields the SDK's types do not describe. */
type JsonBody = Record<string, unknown>;

/** The SDK insists on a key; keyless local servers get this placeholder and no Authorization header. */
const placeholderKey = 'no-key';

export function createOpenAICompatibleProvider(descriptor: ProviderDescriptor, settings: AdapterSettings): Provider {
  const { quirks } = descriptor;
  const requests = guardedRequests(descriptor, settings);

  async function createClient(key: string | undefined, guard: RequestGuard): Promise<OpenAIClient> {
    const { OpenAI } = await loadOpenAI();
    return new OpenAI({
      apiKey: key ?? placeholderKey,
      baseURL: settings.baseUrl,
      // Explicit nulls keep the SDK from reading OPENAI_ORG_ID and friends from the environment.
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      defaultHeaders: { ...(key ? {} : { Authorization: null }), ...settings.headers },
      ...stainlessClientOptions(guard),
    });
  }

  function streamChat(request: ChatRequest, apiKey: string | undefined, signal: AbortSignal): AsyncGenerator<ChatStreamPart, void, undefined> {
    return requests.stream(signal, async function* (guard) {
      const key = resolveKey(descriptor, apiKey);
      const client = await createClient(key, guard);
      if (quirks.api === 'responses') {
        const mapper = new OpenAIResponsesStreamMapper(descriptor.id);
        const { data: stream, response } = await guard.connect(client.responses.create(responsesBody(request, quirks) as unknown as ResponsesStreamingParams, { signal: guard.signal }).withResponse());
        yield* relay(descriptor.id, guard, stream, response, event => mapper.accept(event), body => mapper.acceptResponse(body));
        yield* mapper.finish(response.headers.get('content-type'));
      } else {
        const mapper = new OpenAIChatStreamMapper(descriptor.id, quirks.reasoningField);
        const { data: stream, response } = await guard.connect(client.chat.completions.create(chatBody(request, quirks) as unknown as ChatStreamingParams, { signal: guard.signal }).withResponse());
        yield* relay(descriptor.id, guard, stream, response, chunk => mapper.accept(chunk), body => mapper.acceptCompletion(body));
        yield* mapper.finish(response.headers.get('content-type'));
      }
    });
  }

  async function listModels(apiKey: string | undefined, signal?: AbortSignal): Promise<ModelInfo[]> {
    if (!quirks.listModels) return catalogModels(descriptor);
    return requests.run(signal, async guard => {
      const key = resolveKey(descriptor, apiKey);
      const client = await createClient(key, guard);
      // The raw GET, not the SDK's pager: Together answers with a bare array the pager would drop.
      const body = await guard.complete(client.get<unknown>('/models', { signal: guard.signal }));
      return parseOpenAIModelList(body);
    });
  }

  /** Without a model list the cheapest proof of a key is a one-token answer from the default model. */
  function sendOneTokenRequest(apiKey: string | undefined, signal: AbortSignal | undefined): Promise<void> {
    return requests.run(signal, async guard => {
      const key = resolveKey(descriptor, apiKey);
      const client = await createClient(key, guard);
      const model = descriptor.defaultModel;
      if (quirks.api === 'responses') {
        // 16 is the smallest max_output_tokens the Responses API accepts.
        await guard.complete(client.responses.create(stripFields({ model, input: 'ping', max_output_tokens: 16 }, quirks) as unknown as ResponsesParams, { signal: guard.signal }));
      } else {
        const body: JsonBody = { model, messages: [{ role: 'user', content: 'ping' }], [quirks.maxTokensField ?? 'max_tokens']: 1 };
        await guard.complete(client.chat.completions.create(stripFields(body, quirks) as unknown as ChatParams, { signal: guard.signal }));
      }
    });
  }

  async function verify(apiKey: string | undefined, signal?: AbortSignal): Promise<VerifyResult> {
    return runVerify(descriptor, settings.baseUrl, async () => {
      if (quirks.listModels) return (await listModels(apiKey, signal)).length;
      await sendOneTokenRequest(apiKey, signal);
      return undefined;
    });
  }

  return { id: descriptor.id, streamChat, listModels, verify };
}

function chatBody(request: ChatRequest, quirks: OpenAICompatibleQuirks): JsonBody {
  const messages = [
    ...(request.system ? [{ role: 'system', content: request.system }] : []),
    ...request.messages.filter(hasContent).map(message => ({ role: message.role, content: message.content })),
  ];
  const body: JsonBody = {
    model: request.model,
    messages,
    stream: true,
    // Cohere's compatibility API rejects stream_options; everyone else needs it to report usage.
    ...(quirks.streamOptions ? { stream_options: { include_usage: true } } : {}),
    ...(request.maxOutputTokens !== undefined ? { [quirks.maxTokensField ?? 'max_tokens']: request.maxOutputTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
  return stripFields(body, quirks);
}

function responsesBody(request: ChatRequest, quirks: OpenAICompatibleQuirks): JsonBody {
  return stripFields({
    model: request.model,
    ...(request.system ? { instructions: request.system } : {}),
    input: request.messages.filter(hasContent).map(message => ({ role: message.role === 'system' ? 'developer' : message.role, content: message.content })),
    stream: true,
    ...(request.maxOutputTokens !== undefined ? { max_output_tokens: request.maxOutputTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  }, quirks);
}

function stripFields(body: JsonBody, quirks: OpenAICompatibleQuirks): JsonBody {
  for (const field of quirks.stripFields ?? []) delete body[field];
  return body;
}

function hasContent(message: ChatMessage): boolean {
  return message.content.trim().length > 0;
}
