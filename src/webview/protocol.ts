// The one message protocol between the webviews and the extension host, both directions.
// Dependency-free on purpose: the webview bundle and the host both import it, and the host
// validates every incoming message with `parseWebviewMessage` before acting on it.

export type ErrorKind =
  | 'auth' | 'permission' | 'quota' | 'rate-limit' | 'context-length' | 'model-not-found' | 'bad-request'
  | 'server' | 'overloaded' | 'network' | 'timeout' | 'aborted' | 'missing-key' | 'content-filter' | 'key-store' | 'budget';

export interface ErrorInfo {
  kind: ErrorKind;
  providerId: string;
  message: string;
  fix: string;
  status?: number;
  /** Whether trying again may help (the router's own judgement, not a guess from the kind). */
  retryable?: boolean;
  /** Short headline from the host's error presentation table (e.g. "Key store unavailable"). */
  title?: string;
  /** The buttons to offer, from the same table; the webview shows exactly these. */
  actions?: ErrorAction[];
}

export interface MessageMeta {
  providerId: string;
  providerLabel: string;
  model: string;
  /** The model the provider says served the answer, when it differs from `model`. */
  servedModel?: string;
  inputTokens?: number;
  /** Part of `inputTokens`: read from the provider's prompt cache. */
  cachedInputTokens?: number;
  outputTokens?: number;
  /** Time to first token. */
  latencyMs?: number;
  /** Output tokens per second, first to last token. */
  tokensPerSecond?: number;
  /** Cost of this answer in USD; absent with `unpriced: true` when the model has no price. */
  costUsd?: number;
  unpriced?: boolean;
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
  /** A question written by a preset (slash command): its name as a chip, the expanded prompt on demand. */
  preset?: PresetUse;
}

export type PresetSourceName = 'workspace' | 'github' | 'user' | 'built-in';

export interface PresetUse {
  name: string;
  source: PresetSourceName;
  /** The prompt as sent, after variables were filled in. */
  prompt: string;
}

/** One entry of the `/` autocomplete. */
export interface PresetSummary {
  name: string;
  description: string;
  argumentHint: string;
  source: PresetSourceName;
  /** How the UI names the source, including which same-named presets this one wins over. */
  sourceLabel: string;
  mode: 'chat' | 'refactor' | 'explain';
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

export type ErrorAction =
  | 'setKey' | 'verify' | 'switchProvider' | 'retry' | 'openDashboard'
  /** Budget refusal: open the budget settings / send this one request anyway / open the usage dashboard. */
  | 'raiseBudget' | 'sendAnyway' | 'openUsage'
  /** Key-store failure: open the help on fixing the OS keyring. */
  | 'keyStoreHelp';

/** `store-failed`: VS Code's secret storage failed, so whether a key is stored is unknown. */
export type KeyState = 'set' | 'missing' | 'failing' | 'verified' | 'not-needed' | 'store-failed';

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
  /** The date (`YYYY-MM-DD`) the stored key was set in BYOK AI, when known. Never the key. */
  keySetOn?: string;
  /** Why the key cannot be read (the key store failed), presented like any other error. */
  keyError?: ErrorInfo;
}

export type ProviderAction =
  | 'setKey' | 'deleteKey' | 'activate' | 'deactivate' | 'verify' | 'refreshModels' | 'openDashboard' | 'select'
  | 'editEndpoint' | 'removeEndpoint';

// ---------- webview → host ----------

export type WebviewToHost =
  | { type: 'ready'; view: 'chat' | 'providers' }
  | { type: 'chat/send'; requestId: string; text: string }
  /** A slash command: the host finds the preset, asks for ${input:…} values and expands it. */
  | { type: 'chat/send-preset'; requestId: string; name: string; arguments: string }
  /** The `/` autocomplete needs the preset list (read lazily, on first use). */
  | { type: 'presets/request' }
  /** "Save as Preset" on a user message: the host asks for a name and writes a user preset. */
  | { type: 'presets/save'; text: string }
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
  /** `requestId` names the failed answer for actions that act on it (retry, sendAnyway). */
  | { type: 'error/action'; action: ErrorAction; providerId: string; requestId?: string }
  | { type: 'provider/action'; action: ProviderAction; providerId: string; model?: string }
  | { type: 'provider/addEndpoint' }
  | { type: 'provider/verifyAll' }
  /** The composer's Compare button: the same prompt to several models (an empty text asks for one). */
  | { type: 'chat/compare'; text: string };

// ---------- host → webview ----------

export type HostToWebview =
  /** The whole transcript: sent only when a view connects or another conversation is opened. */
  | { type: 'chat/state'; conversationId: string; title: string; messages: TranscriptMessage[]; busyRequestId?: string; totalCostUsd?: number }
  /** A message was appended (the user's question; answers arrive through chat/started). */
  | { type: 'chat/message-added'; conversationId: string; message: TranscriptMessage }
  /** A message left the transcript (a failed answer that is retried). */
  | { type: 'chat/message-removed'; conversationId: string; messageId: string }
  /** The conversation's title or running total changed. */
  | { type: 'chat/header'; conversationId: string; title: string; totalCostUsd?: number }
  | { type: 'chat/choice'; choice: ModelChoice | undefined }
  | { type: 'chat/started'; requestId: string; message: TranscriptMessage }
  | { type: 'chat/delta'; requestId: string; text?: string; reasoning?: string }
  | { type: 'chat/status'; requestId: string; status: string }
  | { type: 'chat/end'; requestId: string; message: TranscriptMessage }
  | { type: 'chat/conversations'; conversations: ConversationSummary[]; activeId: string }
  | { type: 'context/chips'; chips: AttachmentChip[] }
  | { type: 'chat/focus' }
  /** The presets the `/` autocomplete offers; sent on request and again whenever a preset file changes. */
  | { type: 'presets/list'; presets: PresetSummary[] }
  /** A chat/send-preset that was not sent (unknown variable, cancelled input, refactor run in the editor…). */
  | { type: 'presets/refused'; requestId: string; reason: string; restoreDraft: boolean }
  /** `problems`: problems in the user's provider settings, shown as a banner above the cards. */
  | { type: 'providers/state'; cards: ProviderCard[]; problems?: string[] };

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
  'chat/send-preset': { requestId: isNonEmptyId, name: value => typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value), arguments: isString(maxText) },
  'presets/request': {},
  'presets/save': { text: value => isString(maxText)(value) && (value as string).trim().length > 0 },
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
  'error/action': {
    action: oneOf('setKey', 'verify', 'switchProvider', 'retry', 'openDashboard', 'raiseBudget', 'sendAnyway', 'openUsage', 'keyStoreHelp'),
    providerId: isNonEmptyId, requestId: isOptional(isNonEmptyId),
  },
  'provider/action': { action: oneOf(...providerActions), providerId: isNonEmptyId, model: isOptional(isString(maxId)) },
  'provider/addEndpoint': {},
  'provider/verifyAll': {},
  'chat/compare': { text: isString(maxText) },
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

// ---------- the usage dashboard (an editor panel of its own; validated in usagePanel.ts) ----------

export interface UsageFilterMessage {
  days: 7 | 30 | 90;
  workspace?: string;
  provider?: string;
  feature?: string;
}

export interface UsageModelRow {
  provider: string;
  model: string;
  requests: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Requests without a price; their cost is not in `costUsd`. */
  unpricedRequests: number;
  medianTtftMs?: number;
  medianTokensPerSecond?: number;
  errorRate: number;
}

export interface UsageView {
  filter: UsageFilterMessage;
  days: string[];
  providers: { id: string; label: string }[];
  spendByProvider: number[][];
  models: UsageModelRow[];
  totalUsd: number;
  requests: number;
  unpricedRequests: number;
  budgets: { label: string; spentUsd: number; limitUsd: number; projectedUsd?: number }[];
  choices: { workspaces: { id: string; label: string }[]; providers: { id: string; label: string }[]; features: string[] };
  priceData: { version: string; fetchedAt?: string; bundled: boolean };
}

export type UsageWebviewToHost =
  | { type: 'ready'; view: 'usage' }
  | { type: 'usage/filter'; filter: UsageFilterMessage }
  | { type: 'usage/command'; command: 'refreshPrices' | 'exportUsage' | 'clearUsage' };

export type UsageHostToWebview = { type: 'usage/state'; view: UsageView };

// ---------- the model comparison (an editor panel of its own; validated in comparePanelMessages.ts) ----------

export interface ComparePaneInfo {
  providerId: string;
  providerLabel: string;
  model: string;
}

/** A pane's figures; absent ones are unknown (not zero). */
export interface CompareMetrics {
  timeToFirstTokenMs?: number;
  totalMs?: number;
  tokensPerSecond?: number;
  inputTokens?: number;
  cachedInputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  unpriced?: boolean;
  servedModel?: string;
}

export type CompareOutcome = 'ok' | 'error' | 'aborted' | 'refused';

/**
 * A pane's figures as the chat's meta fields: the pane shows them with the chat's meta line, and an
 * answer continued in the chat keeps them.
 */
export function metaFigures(metrics: CompareMetrics): Omit<MessageMeta, 'providerId' | 'providerLabel' | 'model'> {
  return {
    ...(metrics.servedModel ? { servedModel: metrics.servedModel } : {}),
    ...(metrics.inputTokens !== undefined ? { inputTokens: metrics.inputTokens } : {}),
    ...(metrics.cachedInputTokens !== undefined ? { cachedInputTokens: metrics.cachedInputTokens } : {}),
    ...(metrics.outputTokens !== undefined ? { outputTokens: metrics.outputTokens } : {}),
    ...(metrics.timeToFirstTokenMs !== undefined ? { latencyMs: metrics.timeToFirstTokenMs } : {}),
    ...(metrics.tokensPerSecond !== undefined ? { tokensPerSecond: metrics.tokensPerSecond } : {}),
    ...(metrics.costUsd !== undefined ? { costUsd: metrics.costUsd } : {}),
    ...(metrics.unpriced ? { unpriced: true } : {}),
  };
}

export type CompareHostToWebview =
  | { type: 'compare/start'; comparisonId: string; prompt: string; attachments: AttachmentChip[]; panes: ComparePaneInfo[] }
  | { type: 'compare/route'; pane: number; providerLabel: string; model: string }
  | { type: 'compare/first-token'; pane: number; latencyMs: number }
  /** Deltas are coalesced by the host (a few per second per pane at most frames). */
  | { type: 'compare/delta'; pane: number; text?: string; reasoning?: string }
  | { type: 'compare/status'; pane: number; status: string }
  | { type: 'compare/end'; pane: number; outcome: CompareOutcome; text: string; metrics: CompareMetrics; error?: ErrorInfo }
  /** The whole comparison was not sent (the budget pre-flight for the sum of the panes refused it). */
  | { type: 'compare/refused'; error: ErrorInfo }
  | { type: 'compare/notice'; text: string };

export type CompareWebviewToHost =
  | { type: 'ready'; view: 'compare' }
  /** Stops one pane, or every pane when `pane` is absent. */
  | { type: 'compare/stop'; pane?: number }
  | { type: 'compare/continue'; pane: number }
  | { type: 'compare/diff'; left: number; right: number }
  | { type: 'compare/export' }
  | { type: 'code/action'; action: 'copy' | 'insert' | 'apply' | 'open'; code: string; language: string }
  | { type: 'link/open'; href: string }
  | { type: 'error/action'; action: ErrorAction; providerId: string; requestId?: string };
