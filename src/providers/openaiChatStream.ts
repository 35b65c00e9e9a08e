// Maps Chat Completions chunks (and, for servers that ignore `stream: true`, a whole completion) to
// stream parts. Written for the variety seen across OpenAI-compatible vendors:
//   - usage in an extra `choices: []` chunk (OpenAI, xAI, Groq, llama.cpp), on the finish chunk
//     (DeepSeek, Mistral, Together), repeated cumulatively on every chunk (Perplexity), or after the
//     finish chunk with a `choices` entry still present (OpenRouter): the last usage seen wins;
//   - reasoning in `reasoning_content` (DeepSeek, xAI, llama.cpp) or `reasoning` (Groq, Ollama,
//     OpenRouter), or as typed `thinking` parts of a content array (Mistral magistral);
//   - finish reasons `stop`, `eos` (Together), `length`, `tool_calls`, `content_filter`.
// @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
// @see https://api-docs.deepseek.com/guides/reasoning_model
// @see https://docs.mistral.ai/capabilities/reasoning/

import { ProviderError } from './errors';
import { isRecord } from './errorBody';
import { numberField, usagePart } from './providerSupport';
import type { ChatStreamPart, UnifiedFinishReason } from './types';

const standardReasoningFields = ['reasoning_content', 'reasoning'];

export class OpenAIChatStreamMapper {
  private recognized = 0;
  private finishReason: string | undefined;
  private usage: Record<string, unknown> | undefined;
  private readonly reasoningFields: string[];

  constructor(private readonly providerId: string, reasoningField: string | undefined) {
    // The vendor's documented field first, then the two names local servers and aggregators use,
    // which vary with the model being served rather than with the vendor.
    this.reasoningFields = [...new Set([...(reasoningField ? [reasoningField] : []), ...standardReasoningFields])];
  }

  /** Parts for one streamed chunk. */
  accept(chunk: unknown): ChatStreamPart[] {
    if (!isRecord(chunk)) return [];
    const choices = chunk['choices'];
    if (!Array.isArray(choices) && !isRecord(chunk['usage'])) return [];
    this.recognized++;
    if (isRecord(chunk['usage'])) this.usage = chunk['usage'];
    const choice = Array.isArray(choices) ? choices.find(isRecord) : undefined;
    if (!choice) return [];
    const reason = choice['finish_reason'];
    if (typeof reason === 'string' && reason) this.finishReason = reason;
    // Perplexity's 2025 stream carries both the accumulated `message` and the new `delta`.
    const delta = isRecord(choice['delta']) ? choice['delta'] : isRecord(choice['message']) ? choice['message'] : undefined;
    return delta ? this.partsOf(delta) : [];
  }

  /** Parts for a complete, non-streamed `chat.completion` object. */
  acceptCompletion(completion: unknown): ChatStreamPart[] {
    if (!isRecord(completion) || !Array.isArray(completion['choices'])) return [];
    this.recognized++;
    if (isRecord(completion['usage'])) this.usage = completion['usage'];
    const choice = completion['choices'].find(isRecord);
    if (!choice) return [];
    const reason = choice['finish_reason'];
    if (typeof reason === 'string' && reason) this.finishReason = reason;
    return isRecord(choice['message']) ? this.partsOf(choice['message']) : [];
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
    const parts: ChatStreamPart[] = [];
    const usage = this.usage ? chatUsagePart(this.usage) : undefined;
    if (usage) parts.push(usage);
    parts.push({ type: 'finish', unified: mapChatFinishReason(this.finishReason), raw: this.finishReason });
    return parts;
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

export function chatUsagePart(usage: Record<string, unknown>): ChatStreamPart | undefined {
  const promptDetails = isRecord(usage['prompt_tokens_details']) ? usage['prompt_tokens_details'] : undefined;
  const completionDetails = isRecord(usage['completion_tokens_details']) ? usage['completion_tokens_details'] : undefined;
  return usagePart({
    inputTokens: numberField(usage, 'prompt_tokens'),
    outputTokens: numberField(usage, 'completion_tokens'),
    // DeepSeek reports cache hits as prompt_cache_hit_tokens. @see https://api-docs.deepseek.com/guides/kv_cache
    cachedInputTokens: numberField(promptDetails, 'cached_tokens') ?? numberField(usage, 'prompt_cache_hit_tokens'),
    reasoningTokens: numberField(completionDetails, 'reasoning_tokens') ?? numberField(usage, 'reasoning_tokens'),
  });
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
