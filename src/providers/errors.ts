// One error type for every provider failure. The UI branches on `kind`, never on message text.
// @see https://github.com/vercel/ai/blob/main/packages/provider/src/errors/api-call-error.ts

export type ProviderErrorKind =
  | 'auth'
  | 'permission'
  | 'quota'
  | 'rate-limit'
  | 'context-length'
  | 'model-not-found'
  | 'bad-request'
  | 'server'
  | 'overloaded'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'missing-key'
  | 'content-filter'
  /** The OS key store (SecretStorage) failed: no keyring, a locked keychain, browser storage off. */
  | 'key-store'
  /** Refused before sending by the host's `beforeSend` hook (a budget would be exceeded). */
  | 'budget';

export const providerErrorKinds: readonly ProviderErrorKind[] = [
  'auth', 'permission', 'quota', 'rate-limit', 'context-length', 'model-not-found', 'bad-request',
  'server', 'overloaded', 'network', 'timeout', 'aborted', 'missing-key', 'content-filter', 'key-store', 'budget',
];

/** What the user should do, one line per kind. Provider-specific detail goes in the message. */
export const fixForKind: Record<ProviderErrorKind, string> = {
  'auth': 'The key was rejected. Check it on the provider dashboard and set it again.',
  'permission': 'The key is valid but may not use this model or endpoint. Check the key\'s permissions or pick another model.',
  'quota': 'The account has no credit or has hit a spend limit. Add billing or credit on the provider dashboard.',
  'rate-limit': 'Too many requests. Wait a moment, or switch provider.',
  'context-length': 'The conversation is too long for this model. Start a new chat, shorten the context, or pick a model with a larger window.',
  'model-not-found': 'The model id is unknown to this provider. Select a model from the live list.',
  'bad-request': 'The provider refused the request. Try another model; if it persists, report it with the log.',
  'server': 'The provider had an internal error. Retry shortly.',
  'overloaded': 'The provider is overloaded. Retry shortly or switch provider.',
  'network': 'Could not reach the provider. Check the network, proxy (http.proxy) and base URL.',
  'timeout': 'The provider did not answer in time. Retry, or raise byok.timeouts in settings.',
  'aborted': 'The request was stopped.',
  'missing-key': 'No API key is set for this provider. Run "BYOK AI: Set API Key".',
  'content-filter': 'The provider blocked the answer for safety reasons. Rephrase the request.',
  'key-store': 'VS Code could not read its secret store. On Linux install and unlock a keyring (gnome-keyring or KWallet) or start VS Code with --password-store=basic; on macOS unlock the keychain; then reload the window.',
  'budget': 'This request would exceed your BYOK AI budget. Raise the budget, send once anyway, or pick a cheaper model.',
};

export interface ProviderErrorOptions {
  kind: ProviderErrorKind;
  providerId: string;
  message: string;
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  /** The provider's own error code or type, e.g. `insufficient_quota`. */
  code?: string;
  cause?: unknown;
}

const retryableByDefault: ReadonlySet<ProviderErrorKind> = new Set(['rate-limit', 'server', 'overloaded', 'network', 'timeout']);

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly providerId: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly code: string | undefined;
  readonly fix: string;

  constructor(options: ProviderErrorOptions) {
    super(redact(options.message));
    this.kind = options.kind;
    this.providerId = options.providerId;
    this.status = options.status;
    this.retryable = options.retryable ?? retryableByDefault.has(options.kind);
    this.retryAfterMs = options.retryAfterMs;
    this.code = options.code;
    this.fix = fixForKind[options.kind];
    // Causes from SDKs can carry request headers; keep only a redacted description of them.
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: redactCause(options.cause), enumerable: false });
    }
  }

  override toString(): string {
    return `ProviderError[${this.kind}${this.status ? ` ${this.status}` : ''}] ${this.providerId}: ${this.message}`;
  }

  /** A plain, key-free object for logs and the webview. */
  toJSON(): { kind: ProviderErrorKind; providerId: string; status?: number; message: string; fix: string; retryable: boolean; retryAfterMs?: number; code?: string } {
    return {
      kind: this.kind, providerId: this.providerId, message: this.message, fix: this.fix, retryable: this.retryable,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.code !== undefined ? { code: this.code } : {}),
    };
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}

const secretPatterns: RegExp[] = [
  /([?&](?:key|api[_-]?key|access_token|token)=)[^&\s"']+/gi,
  /(bearer\s+)[A-Za-z0-9._\-~+/=]{6,}/gi,
  /((?:x-api-key|x-goog-api-key|api-key|authorization)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  // Shapes of well-known keys, in case one is echoed inside a provider's message.
  /\b(sk-(?:ant-|proj-|or-)?)[A-Za-z0-9_-]{8,}/g,
  /\b(AIza)[A-Za-z0-9_-]{20,}/g,
  /\b(gsk_|xai-|pplx-)[A-Za-z0-9_-]{8,}/g,
];

const knownSecrets = new Set<string>();

/** Registers a live key so `redact` removes it even when it has no recognisable shape. */
export function registerSecretForRedaction(secret: string | undefined): void {
  if (secret && secret.length >= 4) knownSecrets.add(secret);
}

export function forgetSecretForRedaction(secret: string | undefined): void {
  if (secret) knownSecrets.delete(secret);
}

export function redact(text: string): string {
  let result = text;
  for (const secret of knownSecrets) result = result.split(secret).join('[redacted]');
  for (const pattern of secretPatterns) result = result.replace(pattern, '$1[redacted]');
  return result;
}

function redactCause(cause: unknown): string {
  if (cause instanceof Error) return redact(`${cause.name}: ${cause.message}`);
  return redact(typeof cause === 'string' ? cause : safeStringify(cause));
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
