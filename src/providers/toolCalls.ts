// Tool calls arrive in pieces: OpenAI-compatible servers stream `function.arguments` fragments keyed by
// `index`, Anthropic streams `input_json_delta.partial_json` keyed by the content block's index. Both are
// accumulated here and emitted as one complete `tool-call` part, so every consumer sees whole calls.
// @see https://platform.openai.com/docs/guides/function-calling#streaming
// @see https://docs.anthropic.com/en/docs/build-with-claude/tool-use#streaming-tool-use

import { ProviderError } from './errors';
import type { ChatStreamPart } from './types';

type ToolCallPart = Extract<ChatStreamPart, { type: 'tool-call' }>;

interface PendingCall {
  id: string;
  name: string;
  argumentsText: string;
  /** A complete input object some servers send instead of a JSON string. */
  input?: Record<string, unknown>;
}

export class ToolCallAccumulator {
  private readonly calls = new Map<number, PendingCall>();
  private generated = 0;

  constructor(private readonly providerId: string) {}

  get size(): number {
    return this.calls.size;
  }

  /**
   * One fragment of the call at `index`. A fragment with a different id at an index already in use
   * starts a new call (some servers number every call 0).
   */
  add(index: number | undefined, fragment: { id?: unknown; name?: unknown; arguments?: unknown }): void {
    let key = index ?? this.calls.size;
    const existing = this.calls.get(key);
    const id = typeof fragment.id === 'string' && fragment.id ? fragment.id : undefined;
    if (existing && id && existing.id !== id) key = Math.max(...this.calls.keys()) + 1;
    const call = this.calls.get(key) ?? { id: '', name: '', argumentsText: '' };
    this.calls.set(key, call);
    if (id) call.id = id;
    if (typeof fragment.name === 'string' && fragment.name) call.name = fragment.name;
    if (typeof fragment.arguments === 'string') call.argumentsText += fragment.arguments;
    else if (isObject(fragment.arguments)) call.input = fragment.arguments;
  }

  /** Completes and removes the call at `index` (Anthropic's content_block_stop). */
  take(index: number): ToolCallPart | undefined {
    const call = this.calls.get(index);
    if (!call) return undefined;
    this.calls.delete(index);
    return this.complete(call);
  }

  /** Every call not yet taken, in index order. */
  drain(): ToolCallPart[] {
    const parts = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => this.complete(call));
    this.calls.clear();
    return parts;
  }

  private complete(call: PendingCall): ToolCallPart {
    if (!call.name) {
      throw new ProviderError({ kind: 'server', providerId: this.providerId, message: 'The model sent a tool call without a tool name.', retryable: false });
    }
    const input = call.argumentsText.trim() ? parseToolInput(this.providerId, call.name, call.argumentsText) : call.input ?? {};
    return { type: 'tool-call', id: call.id || `call_${this.providerId.replace(/\W/g, '_')}_${++this.generated}`, name: call.name, input };
  }
}

/** The JSON arguments of a call; anything but an object is the model's error, reported as such. */
export function parseToolInput(providerId: string, name: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProviderError({ kind: 'server', providerId, message: `The model sent malformed arguments for the tool "${name}" (not valid JSON).`, retryable: false });
  }
  if (!isObject(parsed)) {
    throw new ProviderError({ kind: 'server', providerId, message: `The model sent arguments for the tool "${name}" that are not a JSON object.`, retryable: false });
  }
  return parsed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
