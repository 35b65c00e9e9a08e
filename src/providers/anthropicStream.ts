// Maps Messages API stream events (and a whole Message, for servers that answer without streaming) to
// parts. `message_start` carries the served model and the input and cache token counts with a
// placeholder output count; `message_delta` carries the stop reason and the cumulative counts (output,
// and in newer streams the input and cache counts again). Both become usage snapshots: one as soon as
// `message_start` arrives, so a stopped answer still says what its prompt cost, and the merged one at
// the end. Thinking blocks stream as `thinking_delta`; their `signature_delta` is not text and is dropped.
// A `tool_use` block streams its input as `input_json_delta` fragments; the call is emitted whole
// when its block stops.
// @see https://docs.anthropic.com/en/docs/build-with-claude/tool-use#streaming-tool-use
// @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
// @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#streaming-thinking

import { ProviderError } from './errors';
import { isRecord } from './errorBody';
import { numberField, responseMetadataPart, usagePart } from './providerSupport';
import { ToolCallAccumulator } from './toolCalls';
import type { ChatStreamPart, UnifiedFinishReason } from './types';

export class AnthropicStreamMapper {
  private recognized = 0;
  private stopReason: string | undefined;
  /** The provider's usage fields merged in arrival order: every report is cumulative, so the latest value wins. */
  private usage: Record<string, unknown> | undefined;
  private readonly toolCalls: ToolCallAccumulator;

  constructor(private readonly providerId: string) {
    this.toolCalls = new ToolCallAccumulator(providerId);
  }

  accept(event: unknown): ChatStreamPart[] {
    if (!isRecord(event) || typeof event['type'] !== 'string') return [];
    switch (event['type']) {
      case 'message_start': {
        this.recognized++;
        const message = isRecord(event['message']) ? event['message'] : undefined;
        const metadata = responseMetadataPart(message?.['model']);
        const usage = this.readUsage(message?.['usage']) ? anthropicUsagePart(this.usage ?? {}) : undefined;
        return [...(metadata ? [metadata] : []), ...(usage ? [usage] : [])];
      }
      case 'content_block_start': {
        this.recognized++;
        const block = isRecord(event['content_block']) ? event['content_block'] : undefined;
        if (block?.['type'] === 'tool_use') {
          // `input` starts as {}; the real input follows as input_json_delta fragments.
          this.toolCalls.add(blockIndex(event), { id: block['id'], name: block['name'], arguments: block['input'] });
          return [];
        }
        return block ? blockParts(block) : [];
      }
      case 'content_block_delta': {
        this.recognized++;
        const delta = isRecord(event['delta']) ? event['delta'] : undefined;
        if (delta?.['type'] === 'input_json_delta') {
          this.toolCalls.add(blockIndex(event), { arguments: typeof delta['partial_json'] === 'string' ? delta['partial_json'] : '' });
          return [];
        }
        return delta ? deltaParts(delta) : [];
      }
      case 'content_block_stop': {
        this.recognized++;
        const call = this.toolCalls.take(blockIndex(event));
        return call ? [call] : [];
      }
      case 'message_delta': {
        this.recognized++;
        const delta = isRecord(event['delta']) ? event['delta'] : undefined;
        if (typeof delta?.['stop_reason'] === 'string') this.stopReason = delta['stop_reason'];
        this.readUsage(event['usage']);
        return [];
      }
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
    const metadata = responseMetadataPart(message['model']);
    return [...(metadata ? [metadata] : []), ...content.filter(isRecord).flatMap(block => block['type'] === 'tool_use' ? this.wholeToolCall(block) : blockParts(block))];
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
    // A stream cut before content_block_stop still reports the calls it completed enough to parse.
    const parts: ChatStreamPart[] = this.toolCalls.drain();
    const usage = this.usage ? anthropicUsagePart(this.usage) : undefined;
    if (usage) parts.push(usage);
    parts.push({ type: 'finish', unified: mapAnthropicStopReason(this.stopReason), raw: this.stopReason });
    return parts;
  }

  private wholeToolCall(block: Record<string, unknown>): ChatStreamPart[] {
    const index = -1;
    this.toolCalls.add(index, { id: block['id'], name: block['name'], arguments: block['input'] });
    const call = this.toolCalls.take(index);
    return call ? [call] : [];
  }

  /** Merges one usage report (a null field keeps the earlier value); true when it was one. */
  private readUsage(value: unknown): boolean {
    if (!isRecord(value)) return false;
    const merged: Record<string, unknown> = { ...this.usage };
    for (const [field, count] of Object.entries(value)) if (count !== null && count !== undefined) merged[field] = count;
    this.usage = merged;
    return true;
  }
}

/**
 * Anthropic's `input_tokens` excludes cache reads and writes; normalized usage counts the whole prompt
 * as input, with the cache reads and writes as parts of it.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
export function anthropicUsagePart(usage: Record<string, unknown>): ChatStreamPart | undefined {
  const input = numberField(usage, 'input_tokens');
  const cacheRead = numberField(usage, 'cache_read_input_tokens');
  const cacheWrite = numberField(usage, 'cache_creation_input_tokens');
  return usagePart({
    inputTokens: input === undefined && cacheRead === undefined && cacheWrite === undefined ? undefined : (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: numberField(usage, 'output_tokens'),
  }, usage);
}

function blockIndex(event: Record<string, unknown>): number {
  return typeof event['index'] === 'number' ? event['index'] : 0;
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
