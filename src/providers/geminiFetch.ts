// The Gemini SDK always asks for `?alt=sse`, and only parses server-sent events. A gateway or proxy
// that drops the parameter answers with plain JSON instead: one pretty-printed array streamed element
// by element, or a single object. This fetch wrapper re-frames such an answer as events so the SDK
// reads it like any other stream, instead of failing with "Incomplete JSON segment".
// @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent

export function reframeJsonStreams(baseFetch: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await baseFetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.ok || !url.includes(':streamGenerateContent') || !/\bjson\b/i.test(contentType)) return response;

    const text = await response.text();
    let items: unknown[];
    try {
      const parsed: unknown = JSON.parse(text);
      items = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      // Not JSON after all: hand the text on unchanged and let the SDK report it.
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    const headers = new Headers(response.headers);
    headers.set('content-type', 'text/event-stream');
    headers.delete('content-length');
    const events = items.map(item => `data: ${JSON.stringify(item)}\r\n\r\n`).join('');
    return new Response(events, { status: response.status, statusText: response.statusText, headers });
  };
}
