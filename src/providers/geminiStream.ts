// Maps streamGenerateContent chunks to parts. Every chunk is a whole GenerateContentResponse: text parts
// (thought summaries have `thought: true`), an optional finishReason on the last candidate chunk, and
// usageMetadata on every chunk. Usage counts differ between chunks (promptTokenCount can shrink), so
// the last chunk's usage is reported, never a sum. A prompt blocked before generation comes back as
// `promptFeedback.blockReason` with no candidates and becomes a content-filter error.
// @see https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
// @see https://ai.google.dev/gemini-api/docs/thinking#summaries

import { ProviderError } from './errors';
import { isRecord } from './errorBody';
import { numberField, usagePart } from './providerSupport';
import type { ChatStreamPart, UnifiedFinishReason } from './types';

export class GeminiStreamMapper {
  private recognized = 0;
  private finishReason: string | undefined;
  private usage: Record<string, unknown> | undefined;

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

    const candidate = candidates?.find(isRecord);
    if (!candidate) return [];
    if (typeof candidate['finishReason'] === 'string') this.finishReason = candidate['finishReason'];
    const content = isRecord(candidate['content']) ? candidate['content'] : undefined;
    const parts: ChatStreamPart[] = [];
    for (const part of Array.isArray(content?.['parts']) ? content['parts'] : []) {
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
    const usage = this.usage
      ? usagePart({
          inputTokens: numberField(this.usage, 'promptTokenCount'),
          outputTokens: numberField(this.usage, 'candidatesTokenCount'),
          cachedInputTokens: numberField(this.usage, 'cachedContentTokenCount'),
          reasoningTokens: numberField(this.usage, 'thoughtsTokenCount'),
        })
      : undefined;
    if (usage) parts.push(usage);
    parts.push({ type: 'finish', unified: mapGeminiFinishReason(this.finishReason), raw: this.finishReason });
    return parts;
  }
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
