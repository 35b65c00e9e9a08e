// The VS Code Language Model provider's vscode-free parts: which models are offered (the one usable()
// rule, limits from the catalog), the id round trip, message and tool-part conversion, the token
// estimate, and a response as an `lm-api` turn of the real router (text, tool calls, errors, budgets).
import assert from 'node:assert/strict';
import { ProviderError } from '../../src/providers/errors';
import { builtInProviders, describeCustomEndpoint, type ProviderDescriptor } from '../../src/providers/registry';
import { mergeModelLists, type ModelOption } from '../../src/providers/modelList';
import { defaultRetryPolicy, Router } from '../../src/router';
import type { TurnResult } from '../../src/router/turn';
import { estimateMessageTokens, estimateTokens, defaultOutputReserve } from '../../src/router/conversation';
import {
  chatModelInformation, defaultContextWindow, informationSignature, languageModelId, parseLanguageModelId, type ModelSource,
} from '../../src/languageModels/modelInformation';
import { countTokens, toChatMessages, toToolDefinitions, toToolMode, toolResultText } from '../../src/languageModels/requestMessages';
import { describeFailure, respond, type ResponsePart } from '../../src/languageModels/respond';
import { ScriptedProvider, type Script } from '../fakes/scriptedProvider';

function builtIn(id: string): ProviderDescriptor {
  const descriptor = builtInProviders.find(provider => provider.id === id);
  if (!descriptor) throw new Error(id);
  return descriptor;
}

const ollama = describeCustomEndpoint({ id: 'ollama', name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', keyRequired: false, defaultModel: 'qwen2.5-coder' });

function source(usable: string[], live: Record<string, ModelOption[]> = {}): ModelSource {
  const all = [...builtInProviders, ollama];
  return {
    all: () => all,
    usable: id => usable.includes(id),
    knownModels: id => live[id] ?? mergeModelLists(undefined, all.find(provider => provider.id === id)?.catalog ?? []),
  };
}

describe('language models: the offered list', () => {
  it('lists every model of exactly the usable providers, custom endpoints included', () => {
    const entries = chatModelInformation(source(['anthropic', 'custom:ollama']));
    assert.deepEqual(entries.map(entry => entry.id), [
      ...builtIn('anthropic').catalog.map(model => `anthropic/${model.id}`).sort(),
      'custom%3Aollama/qwen2.5-coder',
    ]);
    assert.deepEqual(chatModelInformation(source([])), []);
  });

  it('takes limits from the catalog, keeping the same answer reserve as context trimming', () => {
    const [sonnet] = chatModelInformation(source(['anthropic'])).filter(entry => entry.model === 'claude-sonnet-4-6');
    assert.ok(sonnet);
    // 200k window, 64k output: the reserve is capped at a quarter of the window, as in trimToWindow.
    assert.equal(sonnet.maxOutputTokens, 64_000);
    assert.equal(sonnet.maxInputTokens, 200_000 - 50_000);
    assert.equal(sonnet.name, 'Anthropic · claude-sonnet-4-6');
    assert.equal(sonnet.family, 'claude-sonnet-4-6');
    assert.equal(sonnet.detail, 'Anthropic');
    assert.equal(sonnet.capabilities.toolCalling, true);
    const [local] = chatModelInformation(source(['custom:ollama']));
    assert.equal(local?.maxOutputTokens, defaultOutputReserve);
    assert.equal(local?.maxInputTokens, defaultContextWindow - defaultOutputReserve);
  });

  it('prefers the live list (with its display names) over the catalog', () => {
    const live = mergeModelLists([{ id: 'gpt-live', displayName: 'GPT Live', contextWindow: 100_000, maxOutputTokens: 10_000 }], builtIn('openai').catalog);
    const entries = chatModelInformation(source(['openai'], { openai: live }));
    assert.deepEqual(entries.map(entry => [entry.id, entry.name, entry.maxInputTokens]), [['openai/gpt-live', 'OpenAI · GPT Live', 90_000]]);
  });

  it('offers tool calling for every family except the Responses API path', () => {
    const entries = chatModelInformation(source(['openai', 'gemini', 'perplexity', 'custom:ollama']));
    const byProvider = new Map(entries.map(entry => [entry.providerId, entry.capabilities.toolCalling]));
    assert.deepEqual([...byProvider], [['openai', true], ['gemini', true], ['perplexity', false], ['custom:ollama', true]]);
  });

  it('ids round-trip, model ids with slashes included', () => {
    for (const [providerId, model] of [['together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'], ['custom:my/odd id', 'm:1']] as const) {
      assert.deepEqual(parseLanguageModelId(languageModelId(providerId, model)), { providerId, model });
    }
    assert.equal(parseLanguageModelId('no-slash'), undefined);
    assert.equal(parseLanguageModelId('/model'), undefined);
    assert.equal(parseLanguageModelId('%E0%A4%A/model'), undefined);
  });

  it('the signature changes exactly when the list VS Code sees changes', () => {
    const one = informationSignature(chatModelInformation(source(['anthropic'])));
    assert.equal(informationSignature(chatModelInformation(source(['anthropic']))), one);
    assert.notEqual(informationSignature(chatModelInformation(source(['anthropic', 'gemini']))), one);
  });
});

describe('language models: request messages', () => {
  it('joins text, puts calls on the assistant and results on the user message', () => {
    const messages = toChatMessages([
      { role: 'system', parts: [{ kind: 'text', text: 'Be terse.' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'Read ' }, { kind: 'text', text: 'a.ts' }] },
      { role: 'assistant', parts: [{ kind: 'text', text: 'Reading.' }, { kind: 'tool-call', callId: 'c1', name: 'read', input: { path: 'a.ts' } }] },
      { role: 'user', parts: [{ kind: 'tool-result', callId: 'c1', content: 'export {}' }] },
    ]);
    assert.deepEqual(messages, [
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Read a.ts' },
      { role: 'assistant', content: 'Reading.', toolCalls: [{ id: 'c1', name: 'read', input: { path: 'a.ts' } }] },
      { role: 'user', content: '', toolResults: [{ callId: 'c1', content: 'export {}' }] },
    ]);
  });

  it('a call in a user message or a result in an assistant message is sent as text', () => {
    const [user, assistant] = toChatMessages([
      { role: 'user', parts: [{ kind: 'tool-call', callId: 'c', name: 'x', input: { a: 1 } }] },
      { role: 'assistant', parts: [{ kind: 'text', text: 'hm' }, { kind: 'tool-result', callId: 'c', content: 'out' }] },
    ]);
    assert.deepEqual(user, { role: 'user', content: '[tool call x {"a":1}]' });
    assert.deepEqual(assistant, { role: 'assistant', content: 'hm\nout' });
  });

  it('tool result contents become one string; tools and tool mode map to the contract', () => {
    assert.equal(toolResultText([{ value: 'line 1\n' }, { value: { nested: true } }, 'raw', 42]), 'line 1\n{"nested":true}raw42');
    assert.deepEqual(toToolDefinitions([{ name: 't', description: 'd', inputSchema: { type: 'object' } }, { name: 'u', description: '' }]), [
      { name: 't', description: 'd', inputSchema: { type: 'object' } },
      { name: 'u', description: '' },
    ]);
    assert.equal(toToolDefinitions([]), undefined);
    assert.equal(toToolMode(2), 'required');
    assert.equal(toToolMode(1), 'auto');
    assert.equal(toToolMode(undefined), 'auto');
  });

  it('counts tokens with the estimator context trimming uses', () => {
    assert.equal(countTokens('hello world, hello'), estimateTokens('hello world, hello'));
    const message = { role: 'assistant' as const, parts: [{ kind: 'text' as const, text: 'ok' }, { kind: 'tool-call' as const, callId: 'c', name: 'read', input: { path: 'a' } }] };
    assert.equal(countTokens(message), estimateMessageTokens(toChatMessages([message])[0]!));
    assert.ok(countTokens(message) > countTokens('ok'));
  });
});

describe('language models: a response is an lm-api turn of the router', () => {
  function setup(scripts: Script[], keys: Record<string, string | undefined> = { openai: 'sk-test' }) {
    const provider = new ScriptedProvider('openai', scripts);
    const settled: TurnResult[] = [];
    const router = new Router({
      selection: () => ({ providerId: 'anthropic', model: 'other' }),
      resolve: (providerId, model) => providerId === 'openai'
        ? { provider, providerId, providerLabel: 'OpenAI', family: 'openai', model, keyRequired: true, contextWindow: 100_000 }
        : undefined,
      getKey: async providerId => keys[providerId],
      retryPolicy: () => ({ ...defaultRetryPolicy, maxAttempts: 2 }),
      sleep: async () => undefined,
    });
    router.use({ afterSettle: result => { settled.push(result); } });
    return { provider, router, settled };
  }

  const request = {
    providerId: 'openai', model: 'gpt-x', maxOutputTokens: 500,
    messages: [{ role: 'user' as const, content: 'Weather?' }],
    tools: [{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object' } }], toolMode: 'auto' as const,
  };

  it('forwards text and tool calls, sends tools to the provider, and settles as feature lm-api', async () => {
    const { provider, router, settled } = setup([{ parts: [
      { type: 'reasoning-delta', text: 'thinking' },
      { type: 'text-delta', text: 'Checking' },
      { type: 'tool-call', id: 'c1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
      { type: 'finish', unified: 'tool-calls', raw: 'tool_calls' },
    ] }]);
    const parts: ResponsePart[] = [];
    await respond(router, request, new AbortController().signal, part => parts.push(part));
    assert.deepEqual(parts, [{ kind: 'text', text: 'Checking' }, { kind: 'tool-call', callId: 'c1', name: 'get_weather', input: { city: 'Paris' } }]);
    const sent = provider.calls[0]?.request;
    assert.deepEqual(sent?.tools, request.tools);
    assert.equal(sent?.toolMode, 'auto');
    assert.equal(sent?.maxOutputTokens, 500);
    assert.equal(settled[0]?.feature, 'lm-api');
    assert.equal(settled[0]?.outcome, 'ok');
    assert.equal(settled[0]?.finish, 'tool-calls');
    assert.equal(settled[0]?.providerId, 'openai', 'the request names its provider, not the selected one');
  });

  it('retries before the first part, never after a tool call went out', async () => {
    const overloaded = new ProviderError({ kind: 'overloaded', providerId: 'openai', message: 'busy', retryable: true });
    const { provider, router } = setup([
      { parts: [{ type: 'tool-call', id: 'c1', name: 'get_weather', input: {} }], failAfter: overloaded },
    ]);
    const parts: ResponsePart[] = [];
    await assert.rejects(respond(router, request, new AbortController().signal, part => parts.push(part)), (error: unknown) => error instanceof ProviderError && error.kind === 'overloaded');
    assert.equal(provider.calls.length, 1);
    assert.equal(parts.length, 1);
  });

  it('a missing key is a NoPermissions error with our message and fix, and sends nothing', async () => {
    const { provider, router, settled } = setup([{ parts: [] }], {});
    const caught = await respond(router, request, new AbortController().signal, () => undefined).then(() => undefined, (error: unknown) => error);
    const failure = describeFailure(caught, 'OpenAI', 'https://platform.openai.com/api-keys');
    assert.equal(failure.code, 'NoPermissions');
    assert.equal(failure.cancelled, false);
    assert.match(failure.message, /^BYOK AI · OpenAI — No API key: No API key is set for OpenAI\. .*Set API Key.*Dashboard: https:\/\/platform\.openai\.com\/api-keys$/);
    assert.equal(provider.calls.length, 0);
    assert.equal(settled[0]?.errorKind, 'missing-key');
  });

  it('a budget refusal says so, is Blocked, and is settled as refused', async () => {
    const { provider, router, settled } = setup([{ parts: [] }]);
    router.use({ beforeSend: () => { throw new ProviderError({ kind: 'budget', providerId: 'openai', message: 'Your daily budget of $1.00 is used up ($1.02 spent).', retryable: false }); } });
    const caught = await respond(router, request, new AbortController().signal, () => undefined).then(() => undefined, (error: unknown) => error);
    const failure = describeFailure(caught, 'OpenAI');
    assert.equal(failure.code, 'Blocked');
    assert.match(failure.message, /Over budget: Your daily budget of \$1\.00 is used up/);
    assert.match(failure.message, /exceed your BYOK AI budget/);
    assert.equal(provider.calls.length, 0);
    assert.equal(settled[0]?.outcome, 'refused');
  });

  it('stopping closes the request and is reported as a cancellation, settled as aborted', async () => {
    const { provider, router, settled } = setup([{ parts: [{ type: 'text-delta', text: 'a' }, { type: 'text-delta', text: 'b' }, { type: 'text-delta', text: 'c' }], delayMs: 20 }]);
    const controller = new AbortController();
    const parts: ResponsePart[] = [];
    const caught = await respond(router, request, controller.signal, part => { parts.push(part); controller.abort(); }).then(() => undefined, (error: unknown) => error);
    assert.equal(describeFailure(caught, 'OpenAI').cancelled, true);
    assert.ok(provider.calls[0]?.signal.aborted, 'the provider\'s signal was aborted');
    assert.equal(parts.length, 1);
    assert.equal(settled[0]?.outcome, 'aborted');
  });

  it('maps kinds to the LanguageModelError factories', () => {
    const code = (kind: ProviderError['kind']) => describeFailure(new ProviderError({ kind, providerId: 'openai', message: 'something went wrong here', retryable: false }), 'OpenAI').code;
    assert.deepEqual(['auth', 'quota', 'rate-limit', 'model-not-found', 'server', 'context-length'].map(kind => code(kind as ProviderError['kind'])), ['NoPermissions', 'Blocked', 'Blocked', 'NotFound', undefined, undefined]);
    assert.equal(describeFailure(new Error('boom'), 'OpenAI').message, 'BYOK AI: boom');
  });
});
