// The Gemini adapter, on @google/genai's web entry (no Node-only auth stack). The key travels in the
// `x-goog-api-key` header the SDK sets, never as `?key=` in a URL that proxies and logs would keep.
// Thought summaries are requested so reasoning shows up as reasoning parts; a model that cannot think
// rejects that option, so the adapter retries once without it and remembers the model.
// @see https://ai.google.dev/api/generate-content
// @see https://ai.google.dev/gemini-api/docs/api-key#provide-api-key-explicitly (x-goog-api-key)
// @see https://ai.google.dev/gemini-api/docs/thinking#summaries

import type { ProviderError } from './errors';
import { reframeJsonStreams } from './geminiFetch';
import { checkGeminiModelId, stripModelPrefix, toGeminiPrompt } from './geminiPrompt';
import { GeminiStreamMapper } from './geminiStream';
import { guardedRequests, relayEvents } from './guardedRequests';
import { resolveKey, runVerify, type AdapterSettings } from './providerSupport';
import type { ProviderDescriptor } from './registry';
import { loadGemini } from './sdk';
import type { RequestGuard } from './streamGuards';
import type { ChatRequest, ChatStreamPart, ModelInfo, Provider, VerifyResult } from './types';

type GeminiClient = InstanceType<Awaited<ReturnType<typeof loadGemini>>['GoogleGenAI']>;

const maximumModelPages = 20;

export function createGeminiProvider(descriptor: ProviderDescriptor, settings: AdapterSettings): Provider {
  const requests = guardedRequests(descriptor, settings);
  /** Models that answered "thinking is not enabled" to includeThoughts. */
  const modelsWithoutThinking = new Set<string>();

  async function createClient(key: string, guard: RequestGuard): Promise<GeminiClient> {
    const { GoogleGenAI } = await loadGemini();
    return new GoogleGenAI({
      apiKey: key,
      // Passing our own fetch also keeps the SDK from installing its own undici dispatcher.
      httpOptions: { baseUrl: settings.baseUrl, headers: settings.headers, fetch: reframeJsonStreams(guard.fetch) },
    });
  }

  function streamChat(request: ChatRequest, apiKey: string | undefined, signal: AbortSignal): AsyncGenerator<ChatStreamPart, void, undefined> {
    let askedForThoughts = false;
    let model = '';
    const retryWithoutThoughts = (failure: ProviderError): boolean => {
      if (!askedForThoughts || !refusesThinking(failure)) return false;
      modelsWithoutThinking.add(model);
      return true;
    };
    return requests.stream(signal, async function* (guard) {
      const key = resolveKey(descriptor, apiKey) ?? '';
      model = checkGeminiModelId(descriptor.id, request.model);
      const prompt = toGeminiPrompt(request);
      askedForThoughts = !modelsWithoutThinking.has(model);
      const client = await createClient(key, guard);
      const stream = await guard.connect(
        client.models.generateContentStream({
          model,
          contents: prompt.contents,
          config: {
            ...(prompt.systemInstruction ? { systemInstruction: prompt.systemInstruction } : {}),
            ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
            ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
            ...(askedForThoughts ? { thinkingConfig: { includeThoughts: true } } : {}),
            ...(request.tools?.length ? {
              // parametersJsonSchema takes full JSON Schema; `parameters` only an OpenAPI subset that VS Code's tool schemas exceed.
              tools: [{ functionDeclarations: request.tools.map(tool => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.inputSchema ?? { type: 'object', properties: {} } })) }],
              // @see https://ai.google.dev/gemini-api/docs/function-calling#function_calling_modes
              ...(request.toolMode === 'required' ? { toolConfig: { functionCallingConfig: { mode: 'ANY' as import('@google/genai/web').FunctionCallingConfigMode } } } : {}),
            } : {}),
            abortSignal: guard.signal,
          },
        }),
      );
      const mapper = new GeminiStreamMapper(descriptor.id);
      yield* relayEvents(guard, stream, chunk => mapper.accept(chunk));
      yield* mapper.finish();
    }, retryWithoutThoughts);
  }

  /** @see https://ai.google.dev/api/models#method:-models.list (names are `models/…`, 50 per page by default) */
  function listModels(apiKey: string | undefined, signal?: AbortSignal): Promise<ModelInfo[]> {
    return requests.run(signal, async guard => {
      const key = resolveKey(descriptor, apiKey) ?? '';
      const client = await createClient(key, guard);
      const pager = await guard.complete(client.models.list({ config: { pageSize: 1000, abortSignal: guard.signal } }));
      const models: ModelInfo[] = [];
      const seen = new Set<string>();
      const tokens = new Set<string>();
      for (let page = 0; page < maximumModelPages; page++) {
        for (const entry of pager.page) {
          const model = toModelInfo(entry);
          if (model && !seen.has(model.id)) {
            seen.add(model.id);
            models.push(model);
          }
        }
        const token = pager.params.config?.pageToken;
        if (!pager.hasNextPage() || !token || tokens.has(token)) break;
        tokens.add(token);
        await guard.complete(pager.nextPage());
      }
      return models;
    });
  }

  async function verify(apiKey: string | undefined, signal?: AbortSignal): Promise<VerifyResult> {
    return runVerify(descriptor, settings.baseUrl, async () => (await listModels(apiKey, signal)).length);
  }

  return { id: descriptor.id, streamChat, listModels, verify };
}

/** "Thinking is not enabled for models/…" / "include_thoughts is only enabled when thinking is enabled". */
function refusesThinking(error: ProviderError): boolean {
  return error.kind === 'bad-request' && /thinking/i.test(error.message);
}

interface GeminiModelEntry {
  name?: string;
  displayName?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  supportedActions?: string[];
}

/** Only models that can generateContent are chat models; embeddings, Imagen and Veo are not. */
function toModelInfo(entry: GeminiModelEntry): ModelInfo | undefined {
  if (!entry.name || !entry.supportedActions?.includes('generateContent')) return undefined;
  const id = stripModelPrefix(entry.name);
  return {
    id,
    displayName: entry.displayName || id,
    ...(entry.inputTokenLimit ? { contextWindow: entry.inputTokenLimit } : {}),
    ...(entry.outputTokenLimit ? { maxOutputTokens: entry.outputTokenLimit } : {}),
  };
}
