// A provider whose answers are scripted per call, for router tests: no network.
import { ProviderError } from '../../src/providers/errors';
import type { ChatRequest, ChatStreamPart, ModelInfo, Provider, VerifyResult } from '../../src/providers/types';

export type Script = { parts: ChatStreamPart[]; failAfter?: ProviderError; delayMs?: number } | ProviderError;

export class ScriptedProvider implements Provider {
  readonly calls: { request: ChatRequest; apiKey: string | undefined; signal: AbortSignal }[] = [];
  readonly verifyCalls: { apiKey: string | undefined; signal: AbortSignal | undefined }[] = [];
  /** What verify() answers; replace it to script a failure or a hang. */
  verifyAnswer: (apiKey: string | undefined, signal: AbortSignal | undefined) => Promise<VerifyResult> = async () => ({ ok: true, latencyMs: 1, modelCount: 1 });
  /** Called just before each part is yielded, e.g. to move a fake clock. */
  beforePart?: (part: ChatStreamPart, index: number) => void;

  constructor(readonly id: string, private readonly scripts: Script[]) {}

  async *streamChat(request: ChatRequest, apiKey: string | undefined, signal: AbortSignal): AsyncIterable<ChatStreamPart> {
    this.calls.push({ request, apiKey, signal });
    const script = this.scripts[Math.min(this.calls.length - 1, this.scripts.length - 1)];
    if (!script) throw new Error('no script');
    if (script instanceof ProviderError) throw script;
    for (const [index, part] of script.parts.entries()) {
      if (script.delayMs) await new Promise(resolve => setTimeout(resolve, script.delayMs));
      if (signal.aborted) throw new ProviderError({ kind: 'aborted', providerId: this.id, message: 'stopped', retryable: false });
      this.beforePart?.(part, index);
      yield part;
    }
    if (script.failAfter) throw script.failAfter;
  }

  async listModels(): Promise<ModelInfo[]> {
    return [{ id: 'model-a', displayName: 'Model A' }];
  }

  async verify(apiKey?: string, signal?: AbortSignal): Promise<VerifyResult> {
    this.verifyCalls.push({ apiKey, signal });
    return this.verifyAnswer(apiKey, signal);
  }
}
