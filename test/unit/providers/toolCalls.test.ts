// Tool calls per provider family: the request shapes sent to the fake server (tool definitions, the
// assistant's calls, the user's results), and tool calls parsed from recorded or hand-made transcripts
// (hand-made ones are marked in test/fixtures/providers/README.md), whole and split at random offsets.
import assert from 'node:assert/strict';
import { loadFixture, type ReplayOptions } from '../../fakes/fakeProviderServer';
import type { ChatRequest, ChatStreamPart } from '../../../src/providers/types';
import { ToolCallAccumulator } from '../../../src/providers/toolCalls';
import { isProviderError } from '../../../src/providers/errors';
import {
  builtIn, captureRequest, chatRequest, collect, customEndpoint, itSplitsAtRandomOffsets, jsonEvents, providerFor, record, signal, summarize, testKey,
  useFakeProviderServer, withQuirks,
} from './providerTestSupport';

const weatherTool = { name: 'get_weather', description: 'Weather for a city.', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

/** A finished agent step: the user asked, the assistant called a tool, the user turn carries its result. */
function toolRoundTrip(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return chatRequest({
    system: 'Be brief.',
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: '', toolResults: [{ callId: 'call_1', content: '18°C, cloudy' }] },
    ],
    tools: [weatherTool],
    toolMode: 'auto',
    ...overrides,
  });
}

type ToolCallPart = Extract<ChatStreamPart, { type: 'tool-call' }>;

describe('tool calls: OpenAI-compatible', function () {
  const server = useFakeProviderServer();
  const openai = builtIn('openai');
  const path = '/v1/chat/completions';

  it('sends tools as functions, the call on the assistant message and the result as a tool message', async function () {
    const { body } = await captureRequest(server, path, 'openai/chat-stream-text-after-tool-result-include-usage.json', providerFor(server, openai), toolRoundTrip());
    assert.deepEqual(body['tools'], [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city.', parameters: weatherTool.inputSchema } }]);
    assert.equal(body['tool_choice'], undefined, 'auto is the default and is not sent');
    assert.deepEqual(body['messages'], [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C, cloudy' },
    ]);
  });

  it('sends the recorded follow-up request\'s shape: a call without text has content null', async function () {
    const fixture = loadFixture('openai/chat-stream-text-after-tool-result-include-usage.json');
    const recorded = record(record(fixture.request)['body']);
    const request = chatRequest({
      messages: [
        { role: 'user', content: 'What is 1231 * 2331?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1EYWDzueHEp8OsB8jJSEp7WB', name: 'multiply', input: { a: 1231, b: 2331 } }] },
        { role: 'user', content: '', toolResults: [{ callId: 'call_1EYWDzueHEp8OsB8jJSEp7WB', content: '2869461' }] },
      ],
      tools: [{ name: 'multiply', description: 'Multiply two numbers.', inputSchema: { properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'], type: 'object' } }],
      toolMode: 'required',
    });
    const { body } = await captureRequest(server, path, 'openai/chat-stream-text-after-tool-result-include-usage.json', providerFor(server, openai), request);
    const recordedMessages = (recorded['messages'] as Record<string, unknown>[]).filter(message => message['content'] !== '');
    const sent = (body['messages'] as Record<string, unknown>[]).map(message => {
      const calls = message['tool_calls'] as Record<string, unknown>[] | undefined;
      // The recording's client put a space after the colon; compare the arguments as JSON.
      return calls ? { role: message['role'], tool_calls: calls.map(call => ({ ...call, function: { ...record(call['function']), arguments: JSON.parse(String(record(call['function'])['arguments'])) } })) } : message;
    });
    assert.deepEqual(sent, recordedMessages.map(message => {
      const calls = message['tool_calls'] as Record<string, unknown>[] | undefined;
      return calls ? { role: message['role'], tool_calls: calls.map(call => ({ id: call['id'], type: call['type'], function: { ...record(call['function']), arguments: JSON.parse(String(record(call['function'])['arguments'])) } })) } : message;
    }));
    assert.deepEqual(body['tools'], recorded['tools']);
    assert.equal(body['tool_choice'], 'required');
  });

  it('plain chat is unchanged: no tools, no tool_choice, string contents', async function () {
    const { body } = await captureRequest(server, path, 'openai/chat-stream-text-after-tool-result-include-usage.json', providerFor(server, openai), chatRequest());
    assert.equal(body['tools'], undefined);
    assert.equal(body['tool_choice'], undefined);
    assert.deepEqual(body['messages'], [{ role: 'user', content: 'Hello' }]);
  });

  /** An independent reading: arguments fragments concatenated per index. */
  function expectedCalls(fixtureName: string): { id: string; name: string; input: Record<string, unknown> }[] {
    const calls = new Map<number, { id: string; name: string; text: string }>();
    for (const chunk of jsonEvents(loadFixture(fixtureName).body as string).map(record)) {
      for (const choice of (chunk['choices'] as unknown[] | undefined ?? []).map(record)) {
        for (const call of (record(choice['delta'])['tool_calls'] as unknown[] | undefined ?? []).map(record)) {
          const index = call['index'] as number;
          const entry = calls.get(index) ?? { id: '', name: '', text: '' };
          const fn = record(call['function']);
          if (call['id']) entry.id = String(call['id']);
          if (fn['name']) entry.name = String(fn['name']);
          entry.text += String(fn['arguments'] ?? '');
          calls.set(index, entry);
        }
      }
    }
    return [...calls.values()].map(call => ({ id: call.id, name: call.name, input: JSON.parse(call.text) as Record<string, unknown> }));
  }

  const streamed = [
    { fixture: 'openai/chat-stream-tool-call-include-usage-ratelimit-headers.json', descriptor: openai, known: [{ id: 'call_1EYWDzueHEp8OsB8jJSEp7WB', name: 'multiply', input: { a: 1231, b: 2331 } }] },
    { fixture: 'openai/chat-stream-tool-call-gpt-4o-mini-obfuscation.json', descriptor: openai, known: [{ id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', name: 'get_capital', input: { country: 'UK' } }] },
    { fixture: 'xai/chat-stream-reasoning-content-tool-call.json', descriptor: builtIn('xai'), known: undefined },
    { fixture: 'ollama/v1-chat-stream-tool-call-single-chunk.json', descriptor: customEndpoint('ollama', false), known: [{ id: 'call_hk81qg8b', name: 'run_command', input: { command: 'ls -la' } }] },
  ];
  for (const testCase of streamed) {
    const replay = async (options: ReplayOptions = {}) => {
      server.reset();
      server.replay('POST', /\/chat\/completions$/, loadFixture(testCase.fixture), options);
      return { outcome: await collect(providerFor(server, testCase.descriptor).streamChat(chatRequest({ tools: [weatherTool] }), testKey, signal())) };
    };
    it(`${testCase.fixture}: complete tool calls before usage and finish`, async function () {
      const { outcome } = await replay();
      assert.equal(outcome.error, undefined, outcome.error?.message);
      const summary = summarize(outcome.parts);
      assert.deepEqual(summary.toolCalls, expectedCalls(testCase.fixture));
      if (testCase.known) assert.deepEqual(summary.toolCalls, testCase.known);
      assert.equal(summary.finish?.unified, 'tool-calls');
      const lastCall = outcome.parts.map(part => part.type).lastIndexOf('tool-call');
      assert.ok(lastCall < outcome.parts.findIndex(part => part.type === 'finish'));
    });
    itSplitsAtRandomOffsets(testCase.fixture, replay);
  }

  it('malformed streamed arguments end the stream with a readable server error', async function () {
    const chunk = (delta: unknown, finish: string | null = null) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const body = chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_x', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] }) + chunk({}, 'tool_calls') + 'data: [DONE]\n\n';
    server.replay('POST', path, loadFixture('openai/chat-stream-tool-call-include-usage-ratelimit-headers.json'), { body });
    const outcome = await collect(providerFor(server, openai).streamChat(chatRequest({ tools: [weatherTool] }), testKey, signal()));
    assert.equal(outcome.foreign, undefined);
    assert.equal(outcome.error?.kind, 'server');
    assert.match(outcome.error?.message ?? '', /malformed arguments for the tool "get_weather"/);
  });

  it('the Responses API path (Perplexity) sends no tools', async function () {
    const perplexity = withQuirks(builtIn('perplexity'), {});
    const { body } = await captureRequest(server, '/v1/responses', 'perplexity/responses-stream-usage-cost.json', providerFor(server, perplexity), chatRequest({ tools: [weatherTool] }));
    assert.equal(body['tools'], undefined);
  });
});

describe('tool calls: Anthropic', function () {
  const server = useFakeProviderServer();
  const anthropic = builtIn('anthropic');
  const path = '/v1/messages';

  it('sends input_schema tools, tool_use blocks after the text and tool_result blocks first in the user turn', async function () {
    const request = toolRoundTrip({
      toolMode: 'required',
      messages: [
        ...toolRoundTrip().messages.slice(0, 2),
        { role: 'user', content: 'And tomorrow?', toolResults: [{ callId: 'call_1', content: '18°C, cloudy' }] },
      ],
    });
    const { body } = await captureRequest(server, path, 'anthropic/messages-stream-tool-use.json', providerFor(server, anthropic), request);
    assert.deepEqual(body['tools'], [{ name: 'get_weather', description: 'Weather for a city.', input_schema: weatherTool.inputSchema }]);
    assert.deepEqual(body['tool_choice'], { type: 'any' });
    assert.equal(body['system'], 'Be brief.');
    assert.deepEqual(body['messages'], [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '18°C, cloudy' }, { type: 'text', text: 'And tomorrow?' }] },
    ]);
  });

  it('plain chat is unchanged: string contents, no tools', async function () {
    const { body } = await captureRequest(server, path, 'anthropic/messages-stream-tool-use.json', providerFor(server, anthropic), chatRequest());
    assert.equal(body['tools'], undefined);
    assert.deepEqual(body['messages'], [{ role: 'user', content: 'Hello' }]);
  });

  const streamed = [
    { fixture: 'anthropic/messages-stream-tool-use.json', text: '', calls: [{ id: 'toolu_01CzN6riCPqw4pVSuTd9Dwn7', name: 'pelican_name_generator', input: {} }] },
    { fixture: 'anthropic/messages-stream-tool-use-input-json-delta.json', text: 'Okay, let\'s check the weather for San Francisco, CA:', calls: [{ id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: { location: 'San Francisco, CA', unit: 'fahrenheit' } }] },
  ];
  for (const testCase of streamed) {
    const replay = async (options: ReplayOptions = {}) => {
      server.reset();
      server.replay('POST', path, loadFixture(testCase.fixture), options);
      return { outcome: await collect(providerFor(server, anthropic).streamChat(chatRequest({ tools: [weatherTool] }), testKey, signal())) };
    };
    it(`${testCase.fixture}: the tool_use block becomes one complete call`, async function () {
      const { outcome } = await replay();
      assert.equal(outcome.error, undefined, outcome.error?.message);
      const summary = summarize(outcome.parts);
      assert.equal(summary.text, testCase.text);
      assert.deepEqual(summary.toolCalls, testCase.calls);
      assert.deepEqual(summary.finish, { unified: 'tool-calls', raw: 'tool_use' });
      assert.deepEqual(summary.shape.slice(-2), ['usage', 'finish']);
    });
    itSplitsAtRandomOffsets(testCase.fixture, replay);
  }
});

describe('tool calls: Gemini', function () {
  const server = useFakeProviderServer();
  const gemini = builtIn('gemini');
  const path = /:streamGenerateContent/;

  it('sends functionDeclarations, functionCall parts in the model turn and named functionResponse parts in the user turn', async function () {
    const { body } = await captureRequest(server, path, 'gemini/streamGenerateContent-sse-function-call.json', providerFor(server, gemini), toolRoundTrip({ model: 'gemini-2.5-flash', toolMode: 'required' }));
    assert.deepEqual(body['tools'], [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city.', parametersJsonSchema: weatherTool.inputSchema }] }]);
    assert.deepEqual(body['toolConfig'], { functionCallingConfig: { mode: 'ANY' } });
    assert.deepEqual(body['contents'], [
      { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
      { role: 'model', parts: [{ text: 'Let me check.' }, { functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: '18°C, cloudy' } } }] },
    ]);
  });

  it('plain chat is unchanged: no tools, no toolConfig', async function () {
    const { body } = await captureRequest(server, path, 'gemini/streamGenerateContent-sse-function-call.json', providerFor(server, gemini), chatRequest({ model: 'gemini-2.5-flash' }));
    assert.equal(body['tools'], undefined);
    assert.equal(body['toolConfig'], undefined);
    assert.deepEqual(body['contents'], [{ role: 'user', parts: [{ text: 'Hello' }] }]);
  });

  const fixtureName = 'gemini/streamGenerateContent-sse-function-call.json';
  const replay = async (options: ReplayOptions = {}) => {
    server.reset();
    server.replay('POST', path, loadFixture(fixtureName), options);
    return { outcome: await collect(providerFor(server, gemini).streamChat(chatRequest({ model: 'gemini-2.5-flash', tools: [weatherTool] }), testKey, signal())) };
  };
  it(`${fixtureName}: a functionCall part becomes a tool call with a made-up id; STOP after a call finishes as tool-calls`, async function () {
    const { outcome } = await replay();
    assert.equal(outcome.error, undefined, outcome.error?.message);
    const summary = summarize(outcome.parts);
    assert.deepEqual(summary.toolCalls, [{ id: 'call_gemini_1_schedule_meeting', name: 'schedule_meeting', input: { attendees: ['Bob', 'Alice'], date: '2025-03-27', time: '10:00', topic: 'Q3 planning' } }]);
    assert.deepEqual(summary.finish, { unified: 'tool-calls', raw: 'STOP' });
    assert.deepEqual(summary.usage, { inputTokens: 112, outputTokens: 31 });
  });
  itSplitsAtRandomOffsets(fixtureName, replay);
});

describe('tool call accumulation', function () {
  it('joins argument fragments per index and keeps calls apart', function () {
    const calls = new ToolCallAccumulator('openai');
    calls.add(0, { id: 'a', name: 'first', arguments: '{"x":' });
    calls.add(1, { id: 'b', name: 'second', arguments: '' });
    calls.add(0, { arguments: '1}' });
    calls.add(1, { arguments: '{}' });
    assert.deepEqual(calls.drain(), [
      { type: 'tool-call', id: 'a', name: 'first', input: { x: 1 } },
      { type: 'tool-call', id: 'b', name: 'second', input: {} },
    ]);
  });

  it('a new id at a used index is a new call (servers that number every call 0)', function () {
    const calls = new ToolCallAccumulator('mistral');
    calls.add(0, { id: 'a', name: 'one', arguments: '{}' });
    calls.add(0, { id: 'b', name: 'two', arguments: '{"y":2}' });
    assert.deepEqual(calls.drain().map((call: ToolCallPart) => [call.id, call.name, call.input]), [['a', 'one', {}], ['b', 'two', { y: 2 }]]);
  });

  it('malformed arguments and a missing name are readable provider errors, not crashes', function () {
    const malformed = new ToolCallAccumulator('openai');
    malformed.add(0, { id: 'a', name: 'broken', arguments: '{"x":' });
    assert.throws(() => malformed.drain(), error => isProviderError(error) && error.kind === 'server' && /malformed arguments for the tool "broken"/.test(error.message));
    const nameless = new ToolCallAccumulator('openai');
    nameless.add(0, { id: 'a', arguments: '{}' });
    assert.throws(() => nameless.drain(), error => isProviderError(error) && /without a tool name/.test(error.message));
    const notObject = new ToolCallAccumulator('openai');
    notObject.add(0, { id: 'a', name: 'list', arguments: '[1]' });
    assert.throws(() => notObject.drain(), error => isProviderError(error) && /not a JSON object/.test(error.message));
  });
});
