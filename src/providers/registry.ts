// The one table of built-in providers. Pickers, the status bar, the verify report and settings
// validation all iterate it; nothing else enumerates providers or switches on a provider id.

export type SdkFamily = 'openai' | 'anthropic' | 'gemini';

/** Per-vendor differences of the OpenAI-compatible wire format. Configuration, not code. */
export interface OpenAICompatibleQuirks {
  /** Request fields the vendor rejects, removed before sending. */
  stripFields?: readonly string[];
  /** Whether `stream_options: { include_usage: true }` may be sent (Cohere's compatibility API rejects it). */
  streamOptions: boolean;
  /** Non-standard delta field carrying reasoning text (`reasoning_content`, `reasoning`). */
  reasoningField?: string;
  /** Which OpenAI API serves chat: Chat Completions or Responses. */
  api: 'chat' | 'responses';
  /** Whether `GET /models` exists; otherwise verify sends a 1-token request. */
  listModels: boolean;
  /** Whether the API needs a key at all (local servers usually do not). */
  keyRequired: boolean;
  /** Body field for the output limit; OpenAI's reasoning models reject `max_tokens` (the default). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

export interface ProviderDescriptor {
  id: string;
  label: string;
  family: SdkFamily;
  defaultBaseUrl: string;
  /** Where the user creates or checks a key. */
  dashboardUrl: string;
  docsUrl: string;
  /** A loose pattern of what a key looks like: a mismatch warns, never blocks. */
  keyFormat?: RegExp;
  keyFormatHint: string;
  defaultModel: string;
  /** A dated fallback list for when the live model list is unavailable. */
  catalog: readonly CatalogModel[];
  quirks: OpenAICompatibleQuirks;
}

export interface CatalogModel {
  id: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

const standardQuirks: OpenAICompatibleQuirks = { streamOptions: true, api: 'chat', listModels: true, keyRequired: true };

/** Catalog entries checked against each provider's docs on 2026-11-23; the live list wins. */
export const builtInProviders: readonly ProviderDescriptor[] = [
  {
    id: 'openai', label: 'OpenAI', family: 'openai',
    defaultBaseUrl: 'https://api.openai.com/v1',
    dashboardUrl: 'https://platform.openai.com/api-keys', docsUrl: 'https://platform.openai.com/docs/api-reference/chat',
    keyFormat: /^sk-[A-Za-z0-9_-]{20,}$/, keyFormatHint: 'starts with sk-',
    defaultModel: 'gpt-5.4-mini',
    catalog: [
      { id: 'gpt-5.5', contextWindow: 400_000, maxOutputTokens: 128_000 },
      { id: 'gpt-5.4-mini', contextWindow: 400_000, maxOutputTokens: 128_000 },
      { id: 'gpt-5.4-nano', contextWindow: 400_000, maxOutputTokens: 128_000 },
    ],
    // @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-max_completion_tokens
    quirks: { ...standardQuirks, maxTokensField: 'max_completion_tokens' },
  },
  {
    id: 'anthropic', label: 'Anthropic', family: 'anthropic',
    defaultBaseUrl: 'https://api.anthropic.com',
    dashboardUrl: 'https://console.anthropic.com/settings/keys', docsUrl: 'https://docs.anthropic.com/en/api/messages',
    keyFormat: /^sk-ant-[A-Za-z0-9_-]{20,}$/, keyFormatHint: 'starts with sk-ant-',
    // claude-sonnet-4-5 reaches end of life on 2026-11-30 (the SDK's DEPRECATED_MODELS).
    defaultModel: 'claude-sonnet-4-6',
    catalog: [
      { id: 'claude-opus-4-6', contextWindow: 200_000, maxOutputTokens: 32_000 },
      { id: 'claude-sonnet-4-6', contextWindow: 200_000, maxOutputTokens: 64_000 },
      { id: 'claude-haiku-4-5', contextWindow: 200_000, maxOutputTokens: 64_000 },
    ],
    quirks: standardQuirks,
  },
  {
    id: 'gemini', label: 'Google Gemini', family: 'gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    dashboardUrl: 'https://aistudio.google.com/app/apikey', docsUrl: 'https://ai.google.dev/api/generate-content',
    keyFormat: /^AIza[A-Za-z0-9_-]{30,}$/, keyFormatHint: 'starts with AIza',
    defaultModel: 'gemini-2.5-flash',
    catalog: [
      { id: 'gemini-2.5-pro', contextWindow: 1_048_576, maxOutputTokens: 65_536 },
      { id: 'gemini-2.5-flash', contextWindow: 1_048_576, maxOutputTokens: 65_536 },
    ],
    quirks: standardQuirks,
  },
  {
    id: 'mistral', label: 'Mistral', family: 'openai',
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    dashboardUrl: 'https://console.mistral.ai/api-keys', docsUrl: 'https://docs.mistral.ai/api/',
    keyFormat: /^[A-Za-z0-9]{32}$/, keyFormatHint: '32 letters and digits',
    defaultModel: 'mistral-medium-latest',
    catalog: [
      { id: 'mistral-large-latest', contextWindow: 128_000 },
      { id: 'mistral-medium-latest', contextWindow: 128_000 },
      { id: 'codestral-latest', contextWindow: 256_000 },
    ],
    quirks: standardQuirks,
  },
  {
    id: 'groq', label: 'Groq', family: 'openai',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    dashboardUrl: 'https://console.groq.com/keys', docsUrl: 'https://console.groq.com/docs/openai',
    keyFormat: /^gsk_[A-Za-z0-9]{20,}$/, keyFormatHint: 'starts with gsk_',
    defaultModel: 'llama-3.3-70b-versatile',
    catalog: [
      { id: 'llama-3.3-70b-versatile', contextWindow: 131_072, maxOutputTokens: 32_768 },
      { id: 'llama-3.1-8b-instant', contextWindow: 131_072, maxOutputTokens: 131_072 },
    ],
    // @see https://console.groq.com/docs/openai#unsupported-features
    quirks: { ...standardQuirks, stripFields: ['logprobs', 'logit_bias', 'top_logprobs', 'n'] },
  },
  {
    id: 'xai', label: 'xAI', family: 'openai',
    defaultBaseUrl: 'https://api.x.ai/v1',
    dashboardUrl: 'https://console.x.ai/', docsUrl: 'https://docs.x.ai/docs/api-reference',
    keyFormat: /^xai-[A-Za-z0-9]{20,}$/, keyFormatHint: 'starts with xai-',
    defaultModel: 'grok-4',
    catalog: [
      { id: 'grok-4', contextWindow: 256_000 },
      { id: 'grok-code-fast-1', contextWindow: 256_000 },
      { id: 'grok-3-mini', contextWindow: 131_072 },
    ],
    quirks: { ...standardQuirks, reasoningField: 'reasoning_content' },
  },
  {
    id: 'cohere', label: 'Cohere', family: 'openai',
    defaultBaseUrl: 'https://api.cohere.ai/compatibility/v1',
    dashboardUrl: 'https://dashboard.cohere.com/api-keys', docsUrl: 'https://docs.cohere.com/docs/compatibility-api',
    keyFormatHint: '40 letters and digits',
    defaultModel: 'command-a-03-2025',
    catalog: [{ id: 'command-a-03-2025', contextWindow: 256_000, maxOutputTokens: 8_000 }],
    // @see https://docs.cohere.com/docs/compatibility-api — rejects stream_options; no /models in the compatibility API.
    quirks: { ...standardQuirks, streamOptions: false, listModels: false },
  },
  {
    id: 'deepseek', label: 'DeepSeek', family: 'openai',
    defaultBaseUrl: 'https://api.deepseek.com',
    dashboardUrl: 'https://platform.deepseek.com/api_keys', docsUrl: 'https://api-docs.deepseek.com/',
    keyFormat: /^sk-[A-Za-z0-9]{20,}$/, keyFormatHint: 'starts with sk-',
    defaultModel: 'deepseek-chat',
    catalog: [
      { id: 'deepseek-chat', contextWindow: 128_000, maxOutputTokens: 8_000 },
      { id: 'deepseek-reasoner', contextWindow: 128_000, maxOutputTokens: 64_000 },
    ],
    quirks: { ...standardQuirks, reasoningField: 'reasoning_content' },
  },
  {
    id: 'together', label: 'Together AI', family: 'openai',
    defaultBaseUrl: 'https://api.together.xyz/v1',
    dashboardUrl: 'https://api.together.ai/settings/api-keys', docsUrl: 'https://docs.together.ai/docs/openai-api-compatibility',
    keyFormatHint: '64 hex characters or tgp_…',
    defaultModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    catalog: [
      { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', contextWindow: 131_072 },
      { id: 'deepseek-ai/DeepSeek-V3', contextWindow: 131_072 },
    ],
    quirks: { ...standardQuirks, reasoningField: 'reasoning' },
  },
  {
    id: 'perplexity', label: 'Perplexity', family: 'openai',
    // Sonar chat completions were retired on 2026-09-27; the Agent API speaks the OpenAI Responses format.
    // @see https://docs.perplexity.ai/docs/grounded-llm/openai-compatibility
    defaultBaseUrl: 'https://api.perplexity.ai/v1',
    dashboardUrl: 'https://www.perplexity.ai/account/api/keys', docsUrl: 'https://docs.perplexity.ai/',
    keyFormat: /^pplx-[A-Za-z0-9]{20,}$/, keyFormatHint: 'starts with pplx-',
    defaultModel: 'perplexity/sonar',
    catalog: [
      { id: 'perplexity/sonar', contextWindow: 128_000 },
      { id: 'perplexity/sonar-pro', contextWindow: 200_000 },
      { id: 'perplexity/sonar-reasoning-pro', contextWindow: 128_000 },
    ],
    quirks: { ...standardQuirks, api: 'responses', listModels: false },
  },
];

export function findBuiltInProvider(id: string): ProviderDescriptor | undefined {
  return builtInProviders.find(provider => provider.id === id);
}

/** Presets offered when the user adds a custom OpenAI-compatible endpoint. */
export interface CustomEndpointPreset {
  id: string;
  label: string;
  baseUrl: string;
  keyRequired: boolean;
  docsUrl: string;
}

export const customEndpointPresets: readonly CustomEndpointPreset[] = [
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', keyRequired: false, docsUrl: 'https://docs.ollama.com/api/openai-compatibility' },
  { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', keyRequired: false, docsUrl: 'https://lmstudio.ai/docs/app/api/endpoints/openai' },
  { id: 'llamacpp', label: 'llama.cpp server', baseUrl: 'http://127.0.0.1:8080/v1', keyRequired: false, docsUrl: 'https://github.com/ggml-org/llama.cpp/tree/master/tools/server' },
  { id: 'vllm', label: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1', keyRequired: false, docsUrl: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html' },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', keyRequired: true, docsUrl: 'https://openrouter.ai/docs/api-reference/overview' },
];

/** A user-defined OpenAI-compatible endpoint, read only from user/machine settings. */
export interface CustomEndpoint {
  /** Stable id, used as the provider id `custom:<id>` and the secret name. */
  id: string;
  name: string;
  baseUrl: string;
  headers?: Record<string, string>;
  keyRequired: boolean;
  defaultModel?: string;
}

export const customProviderPrefix = 'custom:';

/** Turns a custom endpoint into a descriptor so every list can treat it like a built-in. */
export function describeCustomEndpoint(endpoint: CustomEndpoint): ProviderDescriptor {
  return {
    id: `${customProviderPrefix}${endpoint.id}`,
    label: endpoint.name,
    family: 'openai',
    defaultBaseUrl: endpoint.baseUrl,
    dashboardUrl: endpoint.baseUrl,
    docsUrl: 'https://platform.openai.com/docs/api-reference/chat',
    keyFormatHint: endpoint.keyRequired ? 'the key your endpoint expects' : 'optional',
    defaultModel: endpoint.defaultModel ?? '',
    catalog: endpoint.defaultModel ? [{ id: endpoint.defaultModel }] : [],
    quirks: { ...standardQuirks, reasoningField: 'reasoning_content', keyRequired: endpoint.keyRequired },
  };
}
