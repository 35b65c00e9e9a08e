// Maps Responses API stream events (OpenAI, and Perplexity's Agent API which mirrors it) to parts.
// Text arrives as `response.output_text.delta`, reasoning as `response.reasoning_summary_text.delta`
// or `response.reasoning_text.delta`; usage and the final status only in the terminal event
// (`response.completed` / `response.incomplete`). A failure is either an `error` event or
// `response.failed`; both become a ProviderError. The served model is `response.model`, already on
// `response.created`.
// @see https://platform.openai.com/docs/api-reference/responses-streaming
// @see https://docs.perplexity.ai/docs/grounded-llm/openai-compatibility

import { ProviderError } from './errors';
import { isRecord } from './errorBody';
import { classifyHttpFailure } from './httpErrors';
import { numberField, responseMetadataPart, usagePart } from './providerSupport';
import type { ChatStreamPart, UnifiedFinishReason } from './types';

export class OpenAIResponsesStreamMapper {
  private recognized = 0;
  private terminal: Record<string, unknown> | undefined;
  private servedModelReported = false;

  constructor(private readonly providerId: string) {}

  accept(event: unknown): ChatStreamPart[] {
    if (!isRecord(event) || typeof event['type'] !== 'string') return [];
    const type = event['type'];
    if (type.startsWith('response.') || type === 'error') this.recognized++;
    const metadata = isRecord(event['response']) ? this.metadataParts(event['response']) : [];
    switch (type) {
      case 'response.output_text.delta':
        return textPart('text-delta', event['delta']);
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return textPart('reasoning-delta', event['delta']);
      case 'response.completed':
      case 'response.incomplete':
        if (isRecord(event['response'])) this.terminal = event['response'];
        return metadata;
      case 'response.failed':
        throw this.failure(isRecord(event['response']) ? event['response']['error'] : undefined);
      case 'error':
        throw this.failure(isRecord(event['error']) ? event['error'] : event);
      default:
        return metadata;
    }
  }

  /** The served model, once (`response.created`, `response.in_progress` and the terminal event all carry it). */
  private metadataParts(response: Record<string, unknown>): ChatStreamPart[] {
    const part = this.servedModelReported ? undefined : responseMetadataPart(response['model']);
    if (!part) return [];
    this.servedModelReported = true;
    return [part];
  }

  /** Parts for a complete, non-streamed response object. */
  acceptResponse(response: unknown): ChatStreamPart[] {
    if (!isRecord(response) || response['object'] !== 'response') return [];
    this.recognized++;
    if (response['status'] === 'failed') throw this.failure(response['error']);
    this.terminal = response;
    const parts: ChatStreamPart[] = this.metadataParts(response);
    for (const item of Array.isArray(response['output']) ? response['output'] : []) {
      if (!isRecord(item)) continue;
      const entries = item['type'] === 'reasoning' ? item['summary'] : item['type'] === 'message' ? item['content'] : undefined;
      for (const entry of Array.isArray(entries) ? entries : []) {
        if (!isRecord(entry) || typeof entry['text'] !== 'string' || !entry['text']) continue;
        if (item['type'] === 'reasoning') parts.push({ type: 'reasoning-delta', text: entry['text'] });
        else if (entry['type'] === 'output_text') parts.push({ type: 'text-delta', text: entry['text'] });
      }
    }
    return parts;
  }

  finish(contentType: string | null): ChatStreamPart[] {
    if (this.recognized === 0) {
      throw new ProviderError({
        kind: 'bad-request',
        providerId: this.providerId,
        message: `The endpoint answered with something that is not a Responses API stream (content-type ${contentType ?? 'missing'}). Check the base URL and whether this vendor serves the Responses API.`,
        retryable: false,
      });
    }
    const parts: ChatStreamPart[] = [];
    const response = this.terminal;
    const usage = isRecord(response?.['usage']) ? responsesUsagePart(response['usage']) : undefined;
    if (usage) parts.push(usage);
    const { unified, raw } = mapResponseStatus(response);
    parts.push({ type: 'finish', unified, raw });
    return parts;
  }

  private failure(error: unknown): ProviderError {
    return classifyHttpFailure(this.providerId, { status: undefined, body: isRecord(error) ? { error } : { error: { message: 'The response failed.' } } });
  }
}

/**
 * `input_tokens` includes the cached ones and `output_tokens` the reasoning ones, as normalized usage
 * counts them. Perplexity's Agent API adds the `cost` it charged (a number or `{ total_cost }`).
 * @see https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
export function responsesUsagePart(usage: Record<string, unknown>): ChatStreamPart | undefined {
  const inputDetails = isRecord(usage['input_tokens_details']) ? usage['input_tokens_details'] : undefined;
  const outputDetails = isRecord(usage['output_tokens_details']) ? usage['output_tokens_details'] : undefined;
  const cost = usage['cost'];
  return usagePart({
    inputTokens: numberField(usage, 'input_tokens'),
    cacheReadTokens: numberField(inputDetails, 'cached_tokens'),
    outputTokens: numberField(usage, 'output_tokens'),
    reasoningTokens: numberField(outputDetails, 'reasoning_tokens'),
  }, usage, typeof cost === 'number' ? cost : isRecord(cost) ? numberField(cost, 'total_cost') : undefined);
}

function textPart(type: 'text-delta' | 'reasoning-delta', delta: unknown): ChatStreamPart[] {
  return typeof delta === 'string' && delta ? [{ type, text: delta }] : [];
}

/** @see https://platform.openai.com/docs/api-reference/responses/object (status, incomplete_details.reason) */
function mapResponseStatus(response: Record<string, unknown> | undefined): { unified: UnifiedFinishReason; raw: string | undefined } {
  const status = typeof response?.['status'] === 'string' ? response['status'] : undefined;
  if (status === 'completed') {
    const output = Array.isArray(response?.['output']) ? response['output'] : [];
    const calledTool = output.some(item => isRecord(item) && item['type'] === 'function_call');
    return { unified: calledTool ? 'tool-calls' : 'stop', raw: status };
  }
  if (status === 'incomplete') {
    const details = isRecord(response?.['incomplete_details']) ? response['incomplete_details'] : undefined;
    const reason = typeof details?.['reason'] === 'string' ? details['reason'] : undefined;
    const unified: UnifiedFinishReason = reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content-filter' : 'other';
    return { unified, raw: reason ?? status };
  }
  return { unified: 'other', raw: status };
}
