// llama.cpp `llama-server` error bodies → ProviderError. The bodies are generated here in the shape the
// server writes (tools/server/server-common.cpp format_error_response, plus n_prompt_tokens/n_ctx for
// exceed_context_size_error; shared/local-llm/README.md has a captured one). The integration tier
// (test/integration/localLlm.test.ts) checks the same mapping against the real server.
import assert from 'node:assert/strict';
import { classifyHttpFailure } from '../../../src/providers/httpErrors';

type LlamaErrorType = 'exceed_context_size_error' | 'authentication_error' | 'invalid_request_error' | 'server_error' | 'unavailable_error' | 'not_supported_error';
const statusOf: Record<LlamaErrorType, number> = {
  exceed_context_size_error: 400, authentication_error: 401, invalid_request_error: 400, server_error: 500, unavailable_error: 503, not_supported_error: 501,
};

/** A body the way llama-server builds it: {"error":{"code","message","type",...extra}}. */
function llamaCppError(type: LlamaErrorType, message: string, extra: Record<string, unknown> = {}): { status: number; text: string } {
  const status = statusOf[type];
  return { status, text: JSON.stringify({ error: { code: status, message, type, ...extra } }) };
}

function contextError(promptTokens: number, contextSize: number): { status: number; text: string } {
  return llamaCppError('exceed_context_size_error',
    `request (${promptTokens} tokens) exceeds the available context size (${contextSize} tokens), try increasing it`,
    { n_prompt_tokens: promptTokens, n_ctx: contextSize });
}

const classify = (status: number | undefined, text: string) => classifyHttpFailure('custom:llama', { status, body: text, headers: { 'content-type': 'application/json; charset=utf-8' } });
const classifyBody = (body: { status: number; text: string }) => classify(body.status, body.text);

describe('llama.cpp server errors', function () {
  it('exceed_context_size_error (HTTP 400) is a context-length error with the server\'s own sentence', function () {
    for (const [prompt, context] of [[3028, 2048], [26_671, 2048], [9000, 8192]] as const) {
      const { status, text } = contextError(prompt, context);
      const error = classify(status, text);
      assert.equal(error.kind, 'context-length', text);
      assert.equal(error.status, 400);
      assert.equal(error.retryable, false, 'waiting does not make a prompt fit');
      assert.equal(error.code, 'exceed_context_size_error');
      assert.match(error.message, new RegExp(`${prompt} tokens.*${context} tokens`));
      assert.doesNotMatch(error.message, /[{}]/, 'the message is the sentence, not the JSON');
    }
  });

  it('the older wording ("input ... is larger than the max context size") maps the same way', function () {
    const { status, text } = llamaCppError('exceed_context_size_error', 'input (5000 tokens) is larger than the max context size (4096 tokens). skipping', { n_prompt_tokens: 5000, n_ctx: 4096 });
    assert.equal(classify(status, text).kind, 'context-length');
  });

  it('the type decides even when the message says nothing about a context', function () {
    const { status, text } = llamaCppError('exceed_context_size_error', 'too big', { n_prompt_tokens: 3000, n_ctx: 2048 });
    assert.equal(classify(status, text).kind, 'context-length');
  });

  it('an error reported inside a 200 stream keeps its kind (the status comes from the body)', function () {
    const { text } = contextError(3028, 2048);
    const error = classify(undefined, text);
    assert.equal(error.kind, 'context-length');
    assert.equal(error.status, 400);
  });

  it('--api-key with a wrong or missing key is an auth error', function () {
    const { status, text } = llamaCppError('authentication_error', 'Invalid API Key');
    const error = classify(status, text);
    assert.equal(error.kind, 'auth');
    assert.equal(error.status, 401);
    assert.match(error.message, /Invalid API Key/);
  });

  it('other llama-server errors keep their families', function () {
    assert.equal(classifyBody(llamaCppError('invalid_request_error', '"messages" must be an array')).kind, 'bad-request');
    assert.equal(classifyBody(llamaCppError('unavailable_error', 'Loading model')).kind, 'overloaded');
    assert.equal(classifyBody(llamaCppError('server_error', '[json.exception.parse_error.101] parse error')).kind, 'server');
    assert.equal(classifyBody(llamaCppError('not_supported_error', 'This server does not support embeddings.')).kind, 'server');
  });
});
