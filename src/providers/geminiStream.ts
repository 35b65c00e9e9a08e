// Maps streamGenerateContent chunks to parts. Every chunk is a whole GenerateContentResponse: text parts
// (thought summaries have `thought: true`), an optional finishReason on the last candidate chunk, and
// usageMetadata on every chunk. Usage counts differ between chunks (promptTokenCount can shrink), so
// the last chunk's usage is reported, never a sum. Every chunk also names the served `modelVersion`;
// it is reported once. A prompt blocked before generation comes back as
// `promptFeedback.blockReason` with no candidates and becomes a content-filter error. A `functionCall`
// part arrives whole (name and args object) and becomes a tool-call part; Gemini ends such an answer
// with finishReason STOP, so a turn that called tools finishes as `tool-calls`.
// @see https://ai.google.dev/api/caching#FunctionCall
// @see https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
// @see https://ai.google.dev/gemini-api/docs/thinking#summaries

import { ProviderError } from './errors';
import { isRecord } from './errorBody';
import { numberField, responseMetadataPart, sumCounts, usagePart } from './providerSupport';
import type { ChatStreamPart, UnifiedFinishReason } from './types';

export class GeminiStreamMapper {
  private recognized = 0;
  private finishReason: string | undefined;
  private usage: Record<string, unknown> | undefined;
  private servedModelReported = false;
  private toolCallCount = 0;

  constructor(private readonly providerId: string) {}

  accept(chunk: unknown): ChatStreamPart[] {
    if (!isRecord(chunk)) return [];
    const candidates = Array.isArray(chunk['candidates']) ? chunk['candidates'] : undefined;
    const promptFeedback = isRecord(chunk['promptFeedback']) ? chunk['promptFeedback'] : undefined;
    if (!candidates && !promptFeedback && !isRecord(chunk['usageMetadata'])) return [];
    this.recognized++;
    if (isRecord(chunk['usageMetadata'])) this.usage = chunk['usageMetadata'];

    const blockReason = typeof promptFeedback?.['blockReason'] === 'string' ? promptFeedback['blockReason'] : undefined;
    if (blockReason && !candidates?.length) {
      throw new ProviderError({
        kind: 'content-filter',
        providerId: this.providerId,
        message: `Gemini blocked the prompt before answering (${blockReason}${typeof promptFeedback?.['blockReasonMessage'] === 'string' ? `: ${promptFeedback['blockReasonMessage']}` : ''}).`,
        retryable: false,
        code: blockReason,
      });
    }

    const parts: ChatStreamPart[] = [];
    const metadata = this.servedModelReported ? undefined : responseMetadataPart(chunk['modelVersion']);
    if (metadata) {
      this.servedModelReported = true;
      parts.push(metadata);
    }
    const candidate = candidates?.find(isRecord);
    if (!candidate) return parts;
    if (typeof candidate['finishReason'] === 'string') this.finishReason = candidate['finishReason'];
    const content = isRecord(candidate['content']) ? candidate['content'] : undefined;
    for (const part of Array.isArray(content?.['parts']) ? content['parts'] : []) {
      if (isRecord(part) && isRecord(part['functionCall'])) {
        parts.push(this.toolCall(part['functionCall']));
        continue;
      }
      if (!isRecord(part) || typeof part['text'] !== 'string' || !part['text']) continue;
      parts.push({ type: part['thought'] === true ? 'reasoning-delta' : 'text-delta', text: part['text'] });
    }
    return parts;
  }

  finish(): ChatStreamPart[] {
    if (this.recognized === 0) {
      throw new ProviderError({
        kind: 'bad-request',
        providerId: this.providerId,
        message: 'The endpoint answered with something that is not a Gemini generateContent stream. Check the base URL.',
        retryable: false,
      });
    }
    const parts: ChatStreamPart[] = [];
    const usage = this.usage ? geminiUsagePart(this.usage) : undefined;
    if (usage) parts.push(usage);
    const unified = mapGeminiFinishReason(this.finishReason);
    parts.push({ type: 'finish', unified: unified === 'stop' && this.toolCallCount > 0 ? 'tool-calls' : unified, raw: this.finishReason });
    return parts;
  }

  /** Gemini 2.x sends no call id; one is made up so the result can be matched to the call. */
  private toolCall(call: Record<string, unknown>): ChatStreamPart {
    const name = typeof call['name'] === 'string' ? call['name'] : '';
    if (!name) throw new ProviderError({ kind: 'server', providerId: this.providerId, message: 'Gemini sent a function call without a name.', retryable: false });
    this.toolCallCount++;
    const id = typeof call['id'] === 'string' && call['id'] ? call['id'] : `call_gemini_${this.toolCallCount}_${name}`;
    return { type: 'tool-call', id, name, input: isRecord(call['args']) ? call['args'] : {} };
  }
}

/**
 * `promptTokenCount` includes the cached tokens; thoughts are counted apart from the candidates but
 * billed as output, so the normalized output is their sum. What built-in tools (search grounding,
 * code execution, URL context) feed back to the model is counted apart too, in
 * `toolUsePromptTokenCount`, and billed as input (`totalTokenCount` is the sum of all four; the
 * genai-prices Google extractor adds it to the input the same way).
 * @see https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function geminiUsagePart(usage: Record<string, unknown>): ChatStreamPart | undefined {
  const thoughts = numberField(usage, 'thoughtsTokenCount');
  return usagePart({
    inputTokens: sumCounts(numberField(usage, 'promptTokenCount'), numberField(usage, 'toolUsePromptTokenCount')),
    cacheReadTokens: numberField(usage, 'cachedContentTokenCount'),
    outputTokens: sumCounts(numberField(usage, 'candidatesTokenCount'), thoughts),
    reasoningTokens: thoughts,
  }, usage);
}

/** @see https://ai.google.dev/api/generate-content#FinishReason */
export function mapGeminiFinishReason(reason: string | undefined): UnifiedFinishReason {
  switch (reason) {
    case 'STOP':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
      return 'content-filter';
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
    case 'TOO_MANY_TOOL_CALLS':
      return 'error';
    default:
      return 'other';
  }
}
