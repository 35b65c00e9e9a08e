// Streams made up on the spot for e2e answers, in each wire format the fake servers speak, and
// what the fake servers need to read of a request.

/** The text of the last user message of an OpenAI-compatible or Anthropic request body. */
export function lastUserText(body: string): string {
  const parsed = JSON.parse(body) as { messages?: { role: string; content: unknown }[] };
  const last = [...(parsed.messages ?? [])].reverse().find(message => message.role === 'user');
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
}

export function openaiStream(chunks: string[]): string {
  const frame = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'e2e', object: 'chat.completion.chunk', created: 1, model: 'gpt-e2e', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return chunks.map(text => frame({ content: text }, null)).join('') + frame({}, 'stop')
    + `data: ${JSON.stringify({ id: 'e2e', object: 'chat.completion.chunk', created: 1, model: 'gpt-e2e', choices: [], usage: { prompt_tokens: 12, completion_tokens: chunks.length, total_tokens: 12 + chunks.length } })}\n\ndata: [DONE]\n\n`;
}

export function anthropicStream(chunks: string[]): string {
  const event = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  return event('message_start', { type: 'message_start', message: { id: 'msg_e2e', type: 'message', role: 'assistant', model: 'claude-e2e', content: [], stop_reason: null, usage: { input_tokens: 20, output_tokens: 1 } } })
    + event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })
    + chunks.map(text => event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })).join('')
    + event('content_block_stop', { type: 'content_block_stop', index: 0 })
    + event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: chunks.length } })
    + event('message_stop', { type: 'message_stop' });
}
