// The one provider contract. Providers never import `vscode`, never read settings or storage:
// the router hands them everything they need per request.
// @see https://github.com/vercel/ai/tree/main/packages/provider/src/language-model (the shape we follow)

import type { ProviderError } from './errors';

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  /** Plain text. Images and tool blocks are degraded to text before they reach a provider. */
  content: string;
  /** Reasoning the model showed; only sent back to the provider family that produced it. */
  reasoning?: string;
  /** Which provider produced an assistant message, so the router can decide what to keep. */
  providerId?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Kept apart from messages: every API places the system prompt differently. */
  system?: string;
  maxOutputTokens?: number;
  temperature?: number;
}

export type UnifiedFinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
}

export type ChatStreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | ({ type: 'usage' } & Usage)
  | { type: 'finish'; unified: UnifiedFinishReason; raw: string | undefined };

export interface ModelInfo {
  id: string;
  displayName: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

export interface VerifyResult {
  ok: boolean;
  latencyMs: number;
  modelCount?: number;
  error?: ProviderError;
}

/** Limits that turn a stalled connection into a `timeout` error instead of a hang. */
export interface TimeoutOptions {
  connectMs: number;
  firstTokenMs: number;
  idleMs: number;
}

export const defaultTimeouts: TimeoutOptions = { connectMs: 15_000, firstTokenMs: 60_000, idleMs: 30_000 };

export interface Provider {
  readonly id: string;
  streamChat(request: ChatRequest, apiKey: string | undefined, signal: AbortSignal): AsyncIterable<ChatStreamPart>;
  listModels(apiKey: string | undefined, signal?: AbortSignal): Promise<ModelInfo[]>;
  verify(apiKey: string | undefined, signal?: AbortSignal): Promise<VerifyResult>;
}
