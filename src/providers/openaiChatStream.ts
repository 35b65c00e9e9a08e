// Maps Chat Completions chunks (and, for servers that ignore `stream: true`, a whole completion) to
// stream parts. Written for the variety seen across OpenAI-compatible vendors:
//   - usage in an extra `choices: []` chunk (OpenAI, xAI, Groq, llama.cpp), on the finish chunk
//     (DeepSeek, Mistral, Together), repeated cumulatively on every chunk (Perplexity), or after the
//     finish chunk with a `choices` entry still present (OpenRouter): the last usage seen wins;
//   - reasoning in `reasoning_content` (DeepSeek, xAI, llama.cpp) or `reasoning` (Groq, Ollama,
//     OpenRouter), or as typed `thinking` parts of a content array (Mistral magistral);
//   - finish reasons `stop`, `eos` (Together), `length`, `tool_calls`, `content_filter`;
//   - usage fields that differ by vendor (see chatUsagePart) and the served model in every chunk's `model`;
//   - tool calls streamed as `tool_calls` fragments keyed by `index` (OpenAI) or sent whole in one
//     chunk (xAI, Ollama), emitted as complete `tool-call` parts before usage and finish.
// @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
// @see https://api-docs.deepseek.com/guides/reasoning_model
// @see https://docs.mistral.ai/capabilities/reasoning/

import { ProviderError } from './errors';
import { isRecord } from './errorBody';
import { numberField, responseMetadataPart, usagePart } from './providerSupport';
import { ToolCallAccumulator } from './toolCalls';
import type { ChatStreamPart, UnifiedFinishReason } from './types';

const standardReasoningFields = ['reasoning_content', 'reasoning'];

export class OpenAIChatStreamMapper {
  private recognized = 0;
  private finishReason: string | undefined;
  private usage: Record<string, unknown> | undefined;
  private servedModelReported = false;
  private readonly reasoningFields: string[];
  private readonly toolCalls: ToolCallAccumulator;

  constructor(private readonly providerId: string, reasoningField: string | undefined) {
    this.toolCalls = new ToolCallAccumulator(providerId);
    // The vendor's documented field first, then the two names local servers and aggregators use,
    // which vary with the model being served rather than with the vendor.
    this.reasoningFields = [...new Set([...(reasoningField ? [reasoningField] : []), ...standardReasoningFields])];
  }

  /** Parts for one streamed chunk. */
  accept(chunk: unknown): ChatStreamPart[] {
    if (!isRecord(chunk)) return [];
    const choices = chunk['choices'];
    const usage = usageOf(chunk);
    if (!Array.isArray(choices) && !usage) return [];
    this.recognized++;
    if (usage) this.usage = usage;
    const parts = this.metadataParts(chunk['model']);
    const choice = Array.isArray(choices) ? choices.find(isRecord) : undefined;
    if (!choice) return parts;
    const reason = choice['finish_reason'];
    if (typeof reason === 'string' && reason) this.finishReason = reason;
    // Perplexity's 2025 stream carries both the accumulated `message` and the new `delta`.
    const delta = isRecord(choice['delta']) ? choice['delta'] : isRecord(choice['message']) ? choice['message'] : undefined;
    if (delta) parts.push(...this.partsOf(delta));
    return parts;
  }

  /** Parts for a complete, non-streamed `chat.completion` object. */
  acceptCompletion(completion: unknown): ChatStreamPart[] {
    if (!isRecord(completion) || !Array.isArray(completion['choices'])) return [];
    this.recognized++;
    const usage = usageOf(completion);
    if (usage) this.usage = usage;
    const parts = this.metadataParts(completion['model']);
    const choice = completion['choices'].find(isRecord);
    if (!choice) return parts;
    const reason = choice['finish_reason'];
    if (typeof reason === 'string' && reason) this.finishReason = reason;
    if (isRecord(choice['message'])) parts.push(...this.partsOf(choice['message']));
    return parts;
  }

  /** The closing usage and finish parts; throws when nothing in the answer looked like Chat Completions. */
  finish(contentType: string | null): ChatStreamPart[] {
    if (this.recognized === 0) {
      throw new ProviderError({
        kind: 'bad-request',
        providerId: this.providerId,
        message: `The endpoint answered with something that is not an OpenAI-compatible chat stream (content-type ${contentType ?? 'missing'}). Check that the base URL points at the OpenAI-compatible API.`,
        retryable: false,
      });
    }
    const parts: ChatStreamPart[] = this.toolCalls.drain();
    const usage = this.usage ? chatUsagePart(this.usage) : undefined;
    if (usage) parts.push(usage);
    parts.push({ type: 'finish', unified: mapChatFinishReason(this.finishReason), raw: this.finishReason });
    return parts;
  }

  /** The served model, once: every chunk repeats it. */
  private metadataParts(model: unknown): ChatStreamPart[] {
    const part = this.servedModelReported ? undefined : responseMetadataPart(model);
    if (!part) return [];
    this.servedModelReported = true;
    return [part];
  }

  private partsOf(delta: Record<string, unknown>): ChatStreamPart[] {
    const parts: ChatStreamPart[] = [];
    for (const field of this.reasoningFields) {
      const reasoning = delta[field];
      if (typeof reasoning === 'string') {
        if (reasoning) parts.push({ type: 'reasoning-delta', text: reasoning });
        break;
      }
    }
    const content = delta['content'];
    if (typeof content === 'string') {
      if (content) parts.push({ type: 'text-delta', text: content });
    } else if (Array.isArray(content)) {
      parts.push(...contentArrayParts(content));
    }
    const toolCalls = delta['tool_calls'];
    if (Array.isArray(toolCalls)) {
      for (const call of toolCalls.filter(isRecord)) {
        const details = isRecord(call['function']) ? call['function'] : {};
        this.toolCalls.add(typeof call['index'] === 'number' ? call['index'] : undefined, { id: call['id'], name: details['name'], arguments: details['arguments'] });
      }
    }
    return parts;
  }
}

/** Mistral's typed content parts: `{type:'text', text}` and `{type:'thinking', thinking:[{type:'text', text}]}`. */
function contentArrayParts(content: unknown[]): ChatStreamPart[] {
  const parts: ChatStreamPart[] = [];
  for (const item of content) {
    if (!isRecord(item)) continue;
    if (item['type'] === 'text' && typeof item['text'] === 'string' && item['text']) {
      parts.push({ type: 'text-delta', text: item['text'] });
    } else if (item['type'] === 'thinking') {
      const thinking = item['thinking'];
      const texts = typeof thinking === 'string' ? [thinking] : Array.isArray(thinking) ? thinking.filter(isRecord).map(entry => entry['text']) : [];
      for (const text of texts) if (typeof text === 'string' && text) parts.push({ type: 'reasoning-delta', text });
    }
  }
  return parts;
}

/** Groq puts usage in `x_groq.usage` (and, in newer streams, also in `usage`). */
function usageOf(chunk: Record<string, unknown>): Record<string, unknown> | undefined {
  if (isRecord(chunk['usage'])) return chunk['usage'];
  const groq = isRecord(chunk['x_groq']) ? chunk['x_groq'] : undefined;
  return isRecord(groq?.['usage']) ? groq['usage'] : undefined;
}

/**
 * xAI reports its cost in ticks of 1e-10 USD: the recorded xai/chat-stream-text-include-usage.json
 * (739000 ticks) is exactly its tokens at grok-4-fast list prices ($0.0000739).
 * @see https://docs.x.ai/developers/advanced-api-usage/prompt-caching/usage-and-pricing
 */
const xaiTicksPerUsd = 1e10;

/**
 * Chat Completions usage in the normalized convention. `prompt_tokens` already includes cached tokens
 * (OpenAI, xAI, DeepSeek, OpenRouter), so it is the input total as it is.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 * @see https://api-docs.deepseek.com/guides/kv_cache (prompt_cache_hit_tokens)
 * @see https://openrouter.ai/docs/use-cases/usage-accounting (cost, cache_write_tokens)
 * @see https://docs.perplexity.ai/guides/pricing (cost.total_cost, reasoning_tokens)
 */
export function chatUsagePart(usage: Record<string, unknown>): ChatStreamPart | undefined {
  const promptDetails = isRecord(usage['prompt_tokens_details']) ? usage['prompt_tokens_details'] : undefined;
  const completionDetails = isRecord(usage['completion_tokens_details']) ? usage['completion_tokens_details'] : undefined;
  const inputTokens = numberField(usage, 'prompt_tokens');
  const completionTokens = numberField(usage, 'completion_tokens');
  const reasoningTokens = numberField(completionDetails, 'reasoning_tokens') ?? numberField(usage, 'reasoning_tokens');
  return usagePart({
    inputTokens,
    cacheReadTokens: numberField(promptDetails, 'cached_tokens') ?? numberField(usage, 'prompt_cache_hit_tokens'),
    cacheWriteTokens: numberField(promptDetails, 'cache_write_tokens') ?? numberField(usage, 'cache_write_tokens'),
    outputTokens: reasoningOutsideCompletion(usage, inputTokens, completionTokens, reasoningTokens) ? (completionTokens ?? 0) + (reasoningTokens ?? 0) : completionTokens,
    reasoningTokens,
  }, usage, reportedCost(usage));
}

/**
 * OpenAI counts reasoning inside `completion_tokens`; xAI does not (its `total_tokens` is prompt +
 * completion + reasoning). The total tells the two apart, so no vendor list is needed.
 */
function reasoningOutsideCompletion(usage: Record<string, unknown>, input: number | undefined, completion: number | undefined, reasoning: number | undefined): boolean {
  const total = numberField(usage, 'total_tokens');
  if (total === undefined || input === undefined || completion === undefined || !reasoning) return false;
  return total === input + completion + reasoning && total !== input + completion;
}

/** OpenRouter: `cost` in USD; Perplexity: `cost.total_cost`; xAI: `cost_in_usd_ticks`. */
function reportedCost(usage: Record<string, unknown>): number | undefined {
  const cost = usage['cost'];
  if (typeof cost === 'number' && Number.isFinite(cost)) return cost;
  if (isRecord(cost)) return numberField(cost, 'total_cost');
  const ticks = numberField(usage, 'cost_in_usd_ticks');
  return ticks === undefined ? undefined : ticks / xaiTicksPerUsd;
}

/**
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 * Together ends with `eos`; Cohere's compatibility API may send upper-case `COMPLETE`.
 */
export function mapChatFinishReason(reason: string | undefined): UnifiedFinishReason {
  switch (reason?.toLowerCase()) {
    case 'stop':
    case 'eos':
    case 'end_turn':
    case 'complete':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'tool_calls':
    case 'function_call':
    case 'tool_call':
      return 'tool-calls';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}
