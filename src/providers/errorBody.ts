// Reads the many shapes of provider error bodies into one flat description. The kind of error is
// decided elsewhere (httpErrors.ts); this file only finds the message, codes and retry hints.
//
// Shapes seen in recorded transcripts (test/fixtures/providers/README.md, "HTTP error shapes"):
//   OpenAI, Groq, Together, DeepSeek, Ollama /v1  {"error":{"message","type","param","code"}}
//   OpenRouter                                    {"error":{"code":429,"message","metadata":{"raw"}}}
//   Anthropic                                     {"type":"error","error":{"type","message"}}
//   Google                                        {"error":{"code","message","status","details":[...]}}
//   xAI                                           {"code":"<status text>","error":"<url-encoded text>"}
//   Mistral, Cohere                               {"message"} | {"detail"} | {"object":"error","message","type","code"}
//   Ollama native                                 {"error":"<text>"}
//   Perplexity (401) and proxies                  an HTML page

export interface ErrorDetails {
  /** The human message, already decoded and trimmed; undefined when the body had none. */
  message: string | undefined;
  /** Machine codes and types from the body, lower-cased: `insufficient_quota`, `overloaded_error`, `resource_exhausted`… */
  codes: string[];
  /** A numeric status written inside the body (Google `code`, Groq `status_code`, OpenRouter numeric `code`). */
  statusInBody: number | undefined;
  /** Google `QuotaFailure.violations[].quotaId` values, e.g. `GenerateRequestsPerDayPerProjectPerModel-FreeTier`. */
  quotaIds: string[];
  /** Google `RetryInfo.retryDelay`, in milliseconds. */
  retryDelayMs: number | undefined;
  /** True when the body was an HTML page rather than JSON. */
  html: boolean;
}

const maximumMessageLength = 600;

/** Parses a raw body text: JSON when it is JSON, otherwise the text itself. */
export function parseBodyText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export function describeErrorBody(body: unknown): ErrorDetails {
  const details: ErrorDetails = { message: undefined, codes: [], statusInBody: undefined, quotaIds: [], retryDelayMs: undefined, html: false };
  if (typeof body === 'string') {
    describeText(body, details);
    return details;
  }
  if (!isRecord(body)) return details;

  const inner = isRecord(body['error']) ? body['error'] : undefined;
  const source = inner ?? body;

  details.message = firstString(source['message'], typeof body['error'] === 'string' ? body['error'] : undefined, source['detail'], body['message'], body['detail']);
  if (details.message === undefined && isRecord(source['detail'])) details.message = JSON.stringify(source['detail']);

  for (const value of [source['code'], source['type'], source['status'], body['code'], body['type'] === 'error' ? undefined : body['type']]) {
    if (typeof value === 'string' && value.trim()) details.codes.push(value.trim().toLowerCase());
  }
  for (const value of [source['status_code'], source['code'], body['status_code']]) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value < 600) {
      details.statusInBody = value;
      break;
    }
  }

  // OpenRouter nests the upstream provider's own error text in metadata.raw.
  const metadata = isRecord(source['metadata']) ? source['metadata'] : undefined;
  const raw = metadata ? firstString(metadata['raw']) : undefined;
  if (raw && raw !== details.message) details.message = details.message ? `${details.message}: ${raw}` : raw;

  // Anthropic puts a stable code in error.details.error_code.
  const anthropicDetails = isRecord(source['details']) ? source['details'] : undefined;
  const errorCode = anthropicDetails ? firstString(anthropicDetails['error_code']) : undefined;
  if (errorCode) details.codes.push(errorCode.toLowerCase());

  // Google packs structured reasons into details[].
  // @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
  if (Array.isArray(source['details'])) {
    for (const entry of source['details']) {
      if (!isRecord(entry)) continue;
      const reason = firstString(entry['reason']);
      if (reason) details.codes.push(reason.toLowerCase());
      const retryDelay = firstString(entry['retryDelay']);
      if (retryDelay) details.retryDelayMs = parseGoogleDuration(retryDelay);
      if (Array.isArray(entry['violations'])) {
        for (const violation of entry['violations']) {
          if (isRecord(violation) && typeof violation['quotaId'] === 'string') details.quotaIds.push(violation['quotaId']);
        }
      }
    }
  }

  if (details.message !== undefined) details.message = tidyMessage(details.message);
  return details;
}

function describeText(text: string, details: ErrorDetails): void {
  if (/^\s*(<!doctype html|<html|<\?xml)/i.test(text) || /<\/(html|body|head)>/i.test(text)) {
    details.html = true;
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1];
    const summary = title ? stripTags(title) : '';
    details.message = summary
      ? `The server answered with an HTML page ("${tidyMessage(summary)}") instead of an API response.`
      : 'The server answered with an HTML page instead of an API response.';
    return;
  }
  const message = tidyMessage(text);
  details.message = message || undefined;
}

function stripTags(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Collapses whitespace, decodes URL-encoded messages (xAI) and bounds the length. */
function tidyMessage(message: string): string {
  let text = message;
  if (!/\s/.test(text) && /%20/.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // Not valid percent-encoding; keep the text as sent.
    }
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > maximumMessageLength ? `${text.slice(0, maximumMessageLength - 1)}…` : text;
}

/** Google durations are decimal seconds with an `s` suffix, e.g. "34.4s". */
export function parseGoogleDuration(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(value);
  return match?.[1] !== undefined ? Math.round(Number(match[1]) * 1000) : undefined;
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value.trim()) return value;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
