// One adapter for every OpenAI-compatible vendor (OpenAI, Groq, xAI, DeepSeek, Together, Mistral,
// Cohere, Perplexity, local servers and custom endpoints). Vendors differ only by their registry
// quirks row — fields to strip, whether `stream_options` may be sent, the reasoning field, which API
// (Chat Completions or Responses), whether `GET /models` exists and whether a key is needed — so
// adding a vendor is one row in registry.ts, never code here. Usage is asked for with
// `stream_options.include_usage`; a server that rejects the field (an older gateway, a strict local
// server) gets the request again without it, once, and is not asked again by this provider.
// @see https://github.com/vercel/ai/tree/main/packages/openai-compatible (the pattern)
// @see https://platform.openai.com/docs/api-reference/chat/create
// @see https://platform.openai.com/docs/api-reference/responses/create

import type { ProviderError } from './errors';
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
  /** Set once the server answered 400 to `stream_options`: later requests leave it out. */
  let streamOptionsRejected = false;

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
    let askedForUsage = false;
    const retryWithoutStreamOptions = (failure: ProviderError, guard: RequestGuard): boolean => {
      if (!askedForUsage || !rejectsStreamOptions(failure, guard)) return false;
      streamOptionsRejected = true;
      return true;
    };
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
        // Cohere's compatibility API rejects stream_options (its row says so); everyone else needs it to report usage.
        askedForUsage = quirks.streamOptions && !streamOptionsRejected;
        const body = chatBody(request, quirks, askedForUsage);
        const { data: stream, response } = await guard.connect(client.chat.completions.create(body as unknown as ChatStreamingParams, { signal: guard.signal }).withResponse());
        yield* relay(descriptor.id, guard, stream, response, chunk => mapper.accept(chunk), completion => mapper.acceptCompletion(completion));
        yield* mapper.finish(response.headers.get('content-type'));
      }
    }, retryWithoutStreamOptions);
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

/** A 400 (or 422) whose body names the field: the server does not know `stream_options`. */
function rejectsStreamOptions(failure: ProviderError, guard: RequestGuard): boolean {
  if (failure.status !== 400 && failure.status !== 422) return false;
  const mentions = /stream_options|include_usage/i;
  return mentions.test(guard.lastHttpFailure?.bodyText ?? '') || mentions.test(failure.message);
}

function chatBody(request: ChatRequest, quirks: OpenAICompatibleQuirks, includeUsage: boolean): JsonBody {
  const messages = [
    ...(request.system ? [{ role: 'system', content: request.system }] : []),
    ...request.messages.flatMap(chatMessages),
  ];
  const tools = request.tools?.length ? request.tools : undefined;
  const body: JsonBody = {
    model: request.model,
    messages,
    stream: true,
    ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    ...(tools ? { tools: tools.map(tool => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema ?? { type: 'object', properties: {} } } })) } : {}),
    ...(tools && request.toolMode === 'required' ? { tool_choice: 'required' } : {}),
    ...(request.maxOutputTokens !== undefined ? { [quirks.maxTokensField ?? 'max_tokens']: request.maxOutputTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
  return stripFields(body, quirks);
}

/** Tools are not sent here: only Perplexity's Agent API uses Responses, and the LM API does not offer tool calling for it. */
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

/**
 * One stored message as Chat Completions messages: tool results become `role: "tool"` messages (before
 * any text of the same user turn), tool calls ride on the assistant message with `content: null` when
 * it has no text.
 * @see https://platform.openai.com/docs/guides/function-calling#handling-function-calls
 */
function chatMessages(message: ChatMessage): JsonBody[] {
  const messages: JsonBody[] = [];
  for (const result of message.toolResults ?? []) messages.push({ role: 'tool', tool_call_id: result.callId, content: result.content });
  if (message.role === 'assistant' && message.toolCalls?.length) {
    messages.push({
      role: 'assistant',
      content: hasContent(message) ? message.content : null,
      tool_calls: message.toolCalls.map(call => ({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.input) } })),
    });
  } else if (hasContent(message)) {
    messages.push({ role: message.role, content: message.content });
  }
  return messages;
}

function stripFields(body: JsonBody, quirks: OpenAICompatibleQuirks): JsonBody {
  for (const field of quirks.stripFields ?? []) delete body[field];
  return body;
}

function hasContent(message: ChatMessage): boolean {
  return message.content.trim().length > 0;
}
