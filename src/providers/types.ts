// The one provider contract. Providers never import `vscode`, never read settings or storage:
// the router hands them everything they need per request.
// @see https://github.com/vercel/ai/tree/main/packages/provider/src/language-model (the shape we follow)

import type { ProviderError } from './errors';

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  /** Plain text. Images are degraded to text before they reach a provider; tool calls and results travel apart. */
  content: string;
  /** Reasoning the model showed; only sent back to the provider family that produced it. */
  reasoning?: string;
  /** Which provider produced an assistant message, so the router can decide what to keep. */
  providerId?: string;
  /** Tools an assistant message asked to call (the chat never sets it; the VS Code LM API does). */
  toolCalls?: ToolCall[];
  /** Results of the previous assistant message's tool calls, carried by a user message. */
  toolResults?: ToolResult[];
}

export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ToolResult {
  /** The `id` of the ToolCall this answers. */
  callId: string;
  /** Plain text: every provider family takes a tool's output as a string. */
  content: string;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** A JSON Schema of the input object; absent means "no parameters". */
  inputSchema?: Record<string, unknown>;
}

/** `auto`: the model may answer or call a tool; `required`: it must call one. */
export type ToolMode = 'auto' | 'required';

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Kept apart from messages: every API places the system prompt differently. */
  system?: string;
  maxOutputTokens?: number;
  temperature?: number;
  /** Tools the model may call; absent or empty for plain chat. */
  tools?: ToolDefinition[];
  toolMode?: ToolMode;
}

export type UnifiedFinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

/**
 * Usage in one convention for every provider (genai-prices' convention):
 * `cacheReadTokens` and `cacheWriteTokens` are parts of `inputTokens`; `reasoningTokens` is part
 * of `outputTokens`. Adapters convert their provider's own fields into this shape.
 */
export interface NormalizedUsage {
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

/**
 * A usage report in the normalized convention of `NormalizedUsage` (cache counts are parts of
 * `inputTokens`, reasoning is part of `outputTokens`). Each report is a snapshot: a field it
 * carries replaces the earlier value (Anthropic's deltas are cumulative), a field it omits keeps it.
 */
export type Usage = Partial<NormalizedUsage>;

export type ChatStreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  /** A complete tool call: adapters accumulate streamed argument fragments before emitting it. */
  | { type: 'tool-call'; id: string; name: string; input: Record<string, unknown> }
  /** `raw` is the provider's own usage object; `costUsd` the cost it reported itself (OpenRouter, Perplexity). */
  | { type: 'usage'; usage: Usage; raw?: unknown; costUsd?: number }
  /** What the response says about itself, e.g. the model that actually served it. */
  | { type: 'response-metadata'; model?: string }
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
