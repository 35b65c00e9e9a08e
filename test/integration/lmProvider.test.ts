// In the real extension host: BYOK AI as a VS Code Language Model provider (vendor `byok`). The models
// other extensions see through `vscode.lm`, answers streamed from the fake provider server through the
// router, cancellation, a tool-call round trip per provider family, and a clean missing-key error.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ByokApi } from '../../src/extension';
import { FakeProviderServer, loadFixture, type RecordedRequest } from '../fakes/fakeProviderServer';
import { byokApi, eventually, pointProviderAt, resetUserSettings, streamSlowly } from './support';

const keys: Record<string, string> = {
  openai: 'sk-lm-integration-SECRET-0123456789abcdef',
  anthropic: 'sk-ant-lm-integration-SECRET-0123456789abcdef',
  gemini: 'AIzaLmIntegrationSECRET0123456789abcdefgh',
};
const weatherTool: vscode.LanguageModelChatTool = {
  name: 'get_weather', description: 'Weather for a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function modelId(providerId: string, model: string): string {
  return `${encodeURIComponent(providerId)}/${model}`;
}

async function byokModel(id: string): Promise<vscode.LanguageModelChat> {
  const [model] = await vscode.lm.selectChatModels({ vendor: 'byok', id });
  assert.ok(model, `vscode.lm offers ${id}`);
  return model;
}

/** Every part of a response, text joined and tool calls kept as parts. */
async function read(response: vscode.LanguageModelChatResponse): Promise<{ text: string; calls: vscode.LanguageModelToolCallPart[] }> {
  let text = '';
  const calls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) text += part.value;
    else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
  }
  return { text, calls };
}

function posts(server: FakeProviderServer): RecordedRequest[] {
  return server.requests.filter(request => request.method === 'POST');
}

describe('Language Model provider (vscode.lm, vendor byok)', function () {
  this.timeout(30_000);
  let api: ByokApi;
  let server: FakeProviderServer;

  before(async () => {
    api = await byokApi();
    server = await new FakeProviderServer().start();
    await resetUserSettings();
    await pointProviderAt('openai', `${server.url}/v1`);
    await pointProviderAt('anthropic', server.url);
    await pointProviderAt('gemini', server.url);
    await api.settings.setSelectedProvider('openai');
    for (const [providerId, key] of Object.entries(keys)) {
      await api.keys.set(providerId, key);
      await api.settings.setEnabled(providerId, true);
    }
  });

  after(async () => {
    await server.stop();
    for (const providerId of Object.keys(keys)) await api.keys.delete(providerId).catch(() => undefined);
    await resetUserSettings();
  });

  beforeEach(() => server.reset());

  it('lists exactly the models of the configured providers', async () => {
    const expected = ['openai', 'anthropic', 'gemini']
      .flatMap(providerId => api.providers.knownModels(providerId).map(model => modelId(providerId, model.id)))
      .sort();
    await eventually(async () => (await vscode.lm.selectChatModels({ vendor: 'byok' })).length === expected.length, `vscode.lm lists ${expected.length} byok models`);
    const models = await vscode.lm.selectChatModels({ vendor: 'byok' });
    assert.deepEqual(models.map(model => model.id).sort(), expected);
    const sonnet = models.find(model => model.id === 'anthropic/claude-sonnet-4-6');
    assert.equal(sonnet?.vendor, 'byok');
    assert.equal(sonnet?.name, 'Anthropic · claude-sonnet-4-6');
    assert.equal(sonnet?.maxInputTokens, 150_000);
    assert.equal(await sonnet?.countTokens('x'.repeat(35)), 10, 'the estimator context trimming uses: 3.5 characters a token');
  });

  it('streams an answer from the fake provider through the router, as an lm-api turn', async () => {
    server.replay('POST', '/v1/chat/completions', loadFixture('openai/chat-stream-text-after-tool-result-include-usage.json'));
    const model = await byokModel(modelId('openai', 'gpt-5.4-mini'));
    const settled = new Promise<string>(resolve => {
      const subscription = api.router.use({ afterSettle: result => { subscription.dispose(); resolve(`${result.feature} ${result.outcome}`); } });
    });
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('What is 1231 * 2331?')], {}, new vscode.CancellationTokenSource().token);
    const { text } = await read(response);
    assert.match(text, /2,?869,?461/);
    assert.equal(await settled, 'lm-api ok');
    const [sent] = posts(server);
    assert.equal(sent?.headers.authorization, `Bearer ${keys.openai}`);
    assert.equal(JSON.parse(sent!.body).model, 'gpt-5.4-mini');
  });

  it('cancelling closes the provider request', async () => {
    server.route('POST', '/v1/chat/completions', streamSlowly);
    const model = await byokModel(modelId('openai', 'gpt-5.4-mini'));
    const cancellation = new vscode.CancellationTokenSource();
    const disconnected = server.whenClientDisconnects();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Count slowly')], {}, cancellation.token);
    let text = '';
    const reading = (async () => {
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) text += part.value;
        if (text.length > 6) cancellation.cancel();
      }
    })().catch(() => undefined);
    await Promise.race([disconnected, new Promise((_, reject) => setTimeout(() => reject(new Error('the provider connection was not closed')), 5000))]);
    await reading;
    assert.match(text, /^w0 /);
    assert.doesNotMatch(text, /w399/);
  });

  const families = [
    {
      providerId: 'openai', model: 'gpt-5.4-mini', path: '/v1/chat/completions' as string | RegExp,
      call: 'openai/chat-stream-tool-call-include-usage-ratelimit-headers.json', answer: 'openai/chat-stream-text-after-tool-result-include-usage.json',
      expectedCall: { name: 'multiply', input: { a: 1231, b: 2331 } },
      /** The tool result as the provider received it in the follow-up request. */
      sentResult: (body: Record<string, unknown>) => (body['messages'] as Record<string, unknown>[]).find(message => message['role'] === 'tool'),
    },
    {
      providerId: 'anthropic', model: 'claude-sonnet-4-6', path: '/v1/messages',
      call: 'anthropic/messages-stream-tool-use-input-json-delta.json', answer: 'anthropic/messages-stream-text-ping-ratelimit-headers.json',
      expectedCall: { name: 'get_weather', input: { location: 'San Francisco, CA', unit: 'fahrenheit' } },
      sentResult: (body: Record<string, unknown>) => ((body['messages'] as Record<string, unknown>[]).at(-1)?.['content'] as Record<string, unknown>[])[0],
    },
    {
      providerId: 'gemini', model: 'gemini-2.5-flash', path: /:streamGenerateContent/,
      call: 'gemini/streamGenerateContent-sse-function-call.json', answer: 'gemini/streamGenerateContent-sse-text.json',
      expectedCall: { name: 'schedule_meeting', input: { attendees: ['Bob', 'Alice'], date: '2025-03-27', time: '10:00', topic: 'Q3 planning' } },
      sentResult: (body: Record<string, unknown>) => ((body['contents'] as Record<string, unknown>[]).at(-1)?.['parts'] as Record<string, unknown>[])[0],
    },
  ];
  for (const family of families) {
    it(`${family.providerId}: a tool call round trip (call streamed back, result sent with its call)`, async () => {
      const model = await byokModel(modelId(family.providerId, family.model));
      const question = vscode.LanguageModelChatMessage.User('Use the tool, then answer.');
      server.replay('POST', family.path, loadFixture(family.call));
      const first = await read(await model.sendRequest([question], { tools: [weatherTool] }, new vscode.CancellationTokenSource().token));
      assert.equal(first.calls.length, 1);
      const [call] = first.calls;
      assert.deepEqual({ name: call!.name, input: call!.input }, family.expectedCall);
      const firstBody = JSON.parse(posts(server)[0]!.body) as Record<string, unknown>;
      assert.match(JSON.stringify(firstBody), /get_weather/, 'the tool definition was sent');

      server.reset();
      server.replay('POST', family.path, loadFixture(family.answer));
      const second = await read(await model.sendRequest([
        question,
        vscode.LanguageModelChatMessage.Assistant([call!]),
        vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call!.callId, [new vscode.LanguageModelTextPart('TOOL-RESULT-42')])]),
      ], { tools: [weatherTool] }, new vscode.CancellationTokenSource().token));
      assert.ok(second.text.length > 0, 'the answer after the tool result streamed');
      const body = JSON.parse(posts(server)[0]!.body) as Record<string, unknown>;
      assert.match(JSON.stringify(family.sentResult(body)), /TOOL-RESULT-42/);
      assert.match(JSON.stringify(body), new RegExp(family.expectedCall.name), 'the call went back with its result');
    });
  }

  it('a key missing at request time gives a clean LanguageModelError naming the fix, and nothing is sent', async () => {
    const model = await byokModel(modelId('gemini', 'gemini-2.5-flash'));
    // The model list is still the one from when the key was there (another window removed it, or the
    // OS key store lost it): the key store answers "no key" for this one request.
    const keyStore = api.keys as { get(providerId: string): Promise<string | undefined> };
    const get = keyStore.get;
    keyStore.get = async providerId => (providerId === 'gemini' ? undefined : get.call(api.keys, providerId));
    try {
      await assert.rejects(
        async () => read(await model.sendRequest([vscode.LanguageModelChatMessage.User('hi')], {}, new vscode.CancellationTokenSource().token)),
        (error: unknown) => {
          assert.ok(error instanceof vscode.LanguageModelError, `a LanguageModelError, got ${String(error)}`);
          assert.equal(error.code, 'NoPermissions');
          assert.match(error.message, /No API key is set for Google Gemini/);
          assert.match(error.message, /Set API Key/);
          assert.ok(!error.message.includes(keys.gemini!));
          return true;
        },
      );
      assert.equal(posts(server).length, 0);
    } finally {
      keyStore.get = get;
    }
  });

  it('deleting a key withdraws that provider\'s models; setting it again brings them back', async () => {
    await api.keys.delete('gemini');
    try {
      await eventually(async () => !(await vscode.lm.selectChatModels({ vendor: 'byok' })).some(each => each.id.startsWith('gemini/')), 'the keyless provider\'s models are withdrawn');
      assert.ok((await vscode.lm.selectChatModels({ vendor: 'byok' })).some(each => each.id.startsWith('anthropic/')), 'the others stay');
    } finally {
      await api.keys.set('gemini', keys.gemini!);
    }
    await eventually(async () => (await vscode.lm.selectChatModels({ vendor: 'byok' })).some(each => each.id.startsWith('gemini/')), 'the models are back');
  });
});
