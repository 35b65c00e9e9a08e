// Maps Messages API stream events (and a whole Message, for servers that answer without streaming) to
// parts. `message_start` carries the input and cache token counts with a placeholder output count;
// `message_delta` carries the stop reason and the cumulative output count. Thinking blocks stream as
// `thinking_delta`; their `signature_delta` is not text and is dropped.
// @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
// @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#streaming-thinking

import { ProviderError } from './errors';
import { isRecord } from './errorBody';
import { numberField, usagePart } from './providerSupport';
import type { ChatStreamPart, UnifiedFinishReason } from './types';

interface AnthropicUsage {
  input?: number | undefined;
  output?: number | undefined;
  cacheRead?: number | undefined;
  cacheCreation?: number | undefined;
}

export class AnthropicStreamMapper {
  private recognized = 0;
  private stopReason: string | undefined;
  private readonly usage: AnthropicUsage = {};

  constructor(private readonly providerId: string) {}

  accept(event: unknown): ChatStreamPart[] {
    if (!isRecord(event) || typeof event['type'] !== 'string') return [];
    switch (event['type']) {
      case 'message_start':
        this.recognized++;
        if (isRecord(event['message'])) this.readUsage(event['message']['usage']);
        return [];
      case 'content_block_start':
        this.recognized++;
        return isRecord(event['content_block']) ? blockParts(event['content_block']) : [];
      case 'content_block_delta':
        this.recognized++;
        return isRecord(event['delta']) ? deltaParts(event['delta']) : [];
      case 'message_delta': {
        this.recognized++;
        const delta = isRecord(event['delta']) ? event['delta'] : undefined;
        if (typeof delta?.['stop_reason'] === 'string') this.stopReason = delta['stop_reason'];
        this.readUsage(event['usage']);
        return [];
      }
      case 'content_block_stop':
      case 'message_stop':
      case 'ping':
        this.recognized++;
        return [];
      default:
        return [];
    }
  }

  /** Parts for a complete, non-streamed Message. */
  acceptMessage(message: unknown): ChatStreamPart[] {
    if (!isRecord(message) || message['type'] !== 'message') return [];
    this.recognized++;
    this.readUsage(message['usage']);
    if (typeof message['stop_reason'] === 'string') this.stopReason = message['stop_reason'];
    const content = Array.isArray(message['content']) ? message['content'] : [];
    return content.filter(isRecord).flatMap(blockParts);
  }

  finish(contentType: string | null): ChatStreamPart[] {
    if (this.recognized === 0) {
      throw new ProviderError({
        kind: 'bad-request',
        providerId: this.providerId,
        message: `The endpoint answered with something that is not an Anthropic Messages stream (content-type ${contentType ?? 'missing'}). Check the base URL.`,
        retryable: false,
      });
    }
    const parts: ChatStreamPart[] = [];
    const { input, output, cacheRead, cacheCreation } = this.usage;
    // Anthropic's input_tokens excludes cache reads and writes; the unified count is the whole prompt,
    // as OpenAI's prompt_tokens and Gemini's promptTokenCount are.
    const usage = usagePart({
      inputTokens: input === undefined ? undefined : input + (cacheRead ?? 0) + (cacheCreation ?? 0),
      outputTokens: output,
      cachedInputTokens: cacheRead,
    });
    if (usage) parts.push(usage);
    parts.push({ type: 'finish', unified: mapAnthropicStopReason(this.stopReason), raw: this.stopReason });
    return parts;
  }

  private readUsage(value: unknown): void {
    if (!isRecord(value)) return;
    this.usage.input = numberField(value, 'input_tokens') ?? this.usage.input;
    this.usage.output = numberField(value, 'output_tokens') ?? this.usage.output;
    this.usage.cacheRead = numberField(value, 'cache_read_input_tokens') ?? this.usage.cacheRead;
    this.usage.cacheCreation = numberField(value, 'cache_creation_input_tokens') ?? this.usage.cacheCreation;
  }
}

function blockParts(block: Record<string, unknown>): ChatStreamPart[] {
  if (block['type'] === 'text' && typeof block['text'] === 'string' && block['text']) return [{ type: 'text-delta', text: block['text'] }];
  if (block['type'] === 'thinking' && typeof block['thinking'] === 'string' && block['thinking']) return [{ type: 'reasoning-delta', text: block['thinking'] }];
  return [];
}

function deltaParts(delta: Record<string, unknown>): ChatStreamPart[] {
  if (delta['type'] === 'text_delta' && typeof delta['text'] === 'string' && delta['text']) return [{ type: 'text-delta', text: delta['text'] }];
  if (delta['type'] === 'thinking_delta' && typeof delta['thinking'] === 'string' && delta['thinking']) return [{ type: 'reasoning-delta', text: delta['thinking'] }];
  return [];
}

/**
 * `refusal` is Anthropic's safety stop (HTTP 200 with no text), so it maps to content-filter.
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapAnthropicStopReason(reason: string | undefined): UnifiedFinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}
