// The one message protocol between the webviews and the extension host, both directions.
// Dependency-free on purpose: the webview bundle and the host both import it, and the host
// validates every incoming message with `parseWebviewMessage` before acting on it.

export type ErrorKind =
  | 'auth' | 'permission' | 'quota' | 'rate-limit' | 'context-length' | 'model-not-found' | 'bad-request'
  | 'server' | 'overloaded' | 'network' | 'timeout' | 'aborted' | 'missing-key' | 'content-filter';

export interface ErrorInfo {
  kind: ErrorKind;
  providerId: string;
  message: string;
  fix: string;
  status?: number;
  /** Whether trying again may help (the router's own judgement, not a guess from the kind). */
  retryable?: boolean;
}

export interface MessageMeta {
  providerId: string;
  providerLabel: string;
  model: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Time to first token. */
  latencyMs?: number;
}

export interface TranscriptMessage {
  id: string;
  /** The request that produced an assistant message, so Retry works after a reload too. */
  requestId?: string;
  role: 'user' | 'assistant';
  text: string;
  reasoning?: string;
  meta?: MessageMeta;
  /** The answer was cut short by the user. */
  stopped?: boolean;
  error?: ErrorInfo;
  attachments?: AttachmentChip[];
}

export interface AttachmentChip {
  id: string;
  label: string;
  kind: 'selection' | 'file';
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
}

export interface ModelChoice {
  providerId: string;
  providerLabel: string;
  model: string;
  /** Whether a key is stored (never the key). */
  hasKey: boolean;
}

export type ErrorAction = 'setKey' | 'verify' | 'switchProvider' | 'retry' | 'openDashboard';

export type KeyState = 'set' | 'missing' | 'failing' | 'verified' | 'not-needed';

export interface ProviderCard {
  id: string;
  label: string;
  custom: boolean;
  keyState: KeyState;
  keyRequired: boolean;
  enabled: boolean;
  selected: boolean;
  model: string;
  models: { id: string; label: string; live: boolean }[];
  dashboardUrl: string;
  baseUrl: string;
  verify?: { ok: boolean; latencyMs: number; modelCount?: number; error?: ErrorInfo; at: number };
  busy?: 'verifying' | 'loading-models';
}

export type ProviderAction =
  | 'setKey' | 'deleteKey' | 'activate' | 'deactivate' | 'verify' | 'refreshModels' | 'openDashboard' | 'select'
  | 'editEndpoint' | 'removeEndpoint';

// ---------- webview → host ----------

export type WebviewToHost =
  | { type: 'ready'; view: 'chat' | 'providers' }
  | { type: 'chat/send'; requestId: string; text: string }
  | { type: 'chat/cancel'; requestId: string }
  | { type: 'chat/retry'; requestId: string }
  | { type: 'chat/new' }
  | { type: 'chat/open'; conversationId: string }
  | { type: 'chat/delete'; conversationId: string }
  | { type: 'chat/rename'; conversationId: string }
  | { type: 'chat/export'; conversationId: string }
  | { type: 'chat/history' }
  | { type: 'context/attach'; kind: 'selection' | 'file' }
  | { type: 'context/remove'; attachmentId: string }
  | { type: 'model/pick' }
  | { type: 'code/action'; action: 'copy' | 'insert' | 'apply' | 'open'; code: string; language: string }
  | { type: 'link/open'; href: string }
  | { type: 'error/action'; action: ErrorAction; providerId: string }
  | { type: 'provider/action'; action: ProviderAction; providerId: string; model?: string }
  | { type: 'provider/addEndpoint' }
  | { type: 'provider/verifyAll' };

// ---------- host → webview ----------

export type HostToWebview =
  | { type: 'chat/state'; conversationId: string; title: string; messages: TranscriptMessage[]; busyRequestId?: string }
  | { type: 'chat/choice'; choice: ModelChoice | undefined }
  | { type: 'chat/started'; requestId: string; message: TranscriptMessage }
  | { type: 'chat/delta'; requestId: string; text?: string; reasoning?: string }
  | { type: 'chat/status'; requestId: string; status: string }
  | { type: 'chat/end'; requestId: string; message: TranscriptMessage }
  | { type: 'chat/conversations'; conversations: ConversationSummary[]; activeId: string }
  | { type: 'context/chips'; chips: AttachmentChip[] }
  | { type: 'chat/focus' }
  | { type: 'providers/state'; cards: ProviderCard[] };

// ---------- validation (host boundary) ----------

const maxText = 200_000;
const maxId = 200;

type Check = (value: unknown) => boolean;

const isString = (max: number): Check => value => typeof value === 'string' && value.length <= max;
const isNonEmptyId: Check = value => typeof value === 'string' && value.length > 0 && value.length <= maxId;
const oneOf = (...options: string[]): Check => value => typeof value === 'string' && options.includes(value);
const isOptional = (check: Check): Check => value => value === undefined || check(value);

const providerActions: ProviderAction[] = [
  'setKey', 'deleteKey', 'activate', 'deactivate', 'verify', 'refreshModels', 'openDashboard', 'select', 'editEndpoint', 'removeEndpoint',
];

/** Field checks per message type. A message must have exactly these fields (plus `type`). */
const schemas: { [K in WebviewToHost['type']]: Record<string, Check> } = {
  'ready': { view: oneOf('chat', 'providers') },
  'chat/send': { requestId: isNonEmptyId, text: value => isString(maxText)(value) && (value as string).trim().length > 0 },
  'chat/cancel': { requestId: isNonEmptyId },
  'chat/retry': { requestId: isNonEmptyId },
  'chat/new': {},
  'chat/open': { conversationId: isNonEmptyId },
  'chat/delete': { conversationId: isNonEmptyId },
  'chat/rename': { conversationId: isNonEmptyId },
  'chat/export': { conversationId: isNonEmptyId },
  'chat/history': {},
  'context/attach': { kind: oneOf('selection', 'file') },
  'context/remove': { attachmentId: isNonEmptyId },
  'model/pick': {},
  'code/action': { action: oneOf('copy', 'insert', 'apply', 'open'), code: isString(maxText), language: isString(64) },
  'link/open': { href: isString(4096) },
  'error/action': { action: oneOf('setKey', 'verify', 'switchProvider', 'retry', 'openDashboard'), providerId: isNonEmptyId },
  'provider/action': { action: oneOf(...providerActions), providerId: isNonEmptyId, model: isOptional(isString(maxId)) },
  'provider/addEndpoint': {},
  'provider/verifyAll': {},
};

export type ParseResult = { ok: true; message: WebviewToHost } | { ok: false; reason: string };

/** Validates an untrusted value from a webview. Unknown types, missing or extra fields are rejected. */
export function parseWebviewMessage(value: unknown): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not an object' };
  const record = value as Record<string, unknown>;
  const type = record['type'];
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(schemas, type)) {
    return { ok: false, reason: `unknown type ${JSON.stringify(String(type)).slice(0, 60)}` };
  }
  const schema = schemas[type as WebviewToHost['type']];
  for (const key of Object.keys(record)) {
    if (key !== 'type' && !Object.prototype.hasOwnProperty.call(schema, key)) return { ok: false, reason: `${type}: unexpected field ${key.slice(0, 40)}` };
  }
  for (const [key, check] of Object.entries(schema)) {
    if (!check(record[key])) return { ok: false, reason: `${type}: invalid ${key}` };
  }
  return { ok: true, message: value as WebviewToHost };
}
