// Lazy loaders for the three SDK families. In the shipped bundle each specifier resolves to its
// own file in dist/vendor/ (see esbuild.mjs), so nothing here runs until the first request.

export type OpenAIModule = typeof import('openai');
export type AnthropicModule = typeof import('@anthropic-ai/sdk');
export type GeminiModule = typeof import('@google/genai/web');

let openai: Promise<OpenAIModule> | undefined;
let anthropic: Promise<AnthropicModule> | undefined;
let gemini: Promise<GeminiModule> | undefined;

export function loadOpenAI(): Promise<OpenAIModule> {
  return (openai ??= import('openai'));
}

export function loadAnthropic(): Promise<AnthropicModule> {
  return (anthropic ??= import('@anthropic-ai/sdk'));
}

export function loadGemini(): Promise<GeminiModule> {
  return (gemini ??= import('@google/genai/web'));
}
