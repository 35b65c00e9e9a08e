// The one table that says how each error kind is shown: a short title, the cause in plain words,
// the fix, the actions to offer, and whether the provider's key dashboard helps. The chat's error
// box, notifications, the Providers cards, the verify report and the commands all read it, so an
// error looks and behaves the same wherever it surfaces. No `vscode` import: unit-tested in Node.

import { fixForKind, redact, type ProviderError, type ProviderErrorKind } from './providers/errors';
import type { ErrorAction, ErrorInfo } from './webview/protocol';

/** Where to read about fixing VS Code's secret storage (keyring, keychain, browser storage). */
export const keyStoreHelpUrl = 'https://code.visualstudio.com/docs/configure/settings-sync#_troubleshooting-keychain-issues';

export interface ErrorPresentation {
  /** A few words for a heading or a notification prefix. */
  title: string;
  /** The diagnosed cause, one sentence, for reports. */
  cause: string;
  fix: string;
  /** Offered in this order; `openDashboard` only when the provider has a dashboard URL. */
  actions: readonly ErrorAction[];
  /** Whether the provider's key/billing dashboard is where the fix happens. */
  dashboard: boolean;
}

const table: Record<ProviderErrorKind, Omit<ErrorPresentation, 'fix'>> = {
  'auth': { title: 'Key rejected', cause: 'Bad key: the provider rejected it.', actions: ['setKey', 'openDashboard'], dashboard: true },
  'permission': { title: 'Not allowed', cause: 'The key lacks permission for this endpoint or model.', actions: ['switchProvider', 'openDashboard'], dashboard: true },
  'quota': { title: 'Out of credit', cause: 'No credit, or a spend or daily limit is reached.', actions: ['openDashboard', 'switchProvider'], dashboard: true },
  'rate-limit': { title: 'Rate-limited', cause: 'Rate-limited right now (the key itself works).', actions: ['retry', 'switchProvider'], dashboard: false },
  'context-length': { title: 'Conversation too long', cause: 'The conversation is longer than the model\'s context window.', actions: ['switchProvider'], dashboard: false },
  'model-not-found': { title: 'Model not found', cause: 'The model was not found.', actions: ['switchProvider', 'verify'], dashboard: false },
  'bad-request': { title: 'Request refused', cause: 'The provider refused the request.', actions: ['retry', 'switchProvider'], dashboard: false },
  'server': { title: 'Provider error', cause: 'The provider is having problems (server error or overloaded).', actions: ['retry', 'switchProvider'], dashboard: false },
  'overloaded': { title: 'Provider overloaded', cause: 'The provider is having problems (server error or overloaded).', actions: ['retry', 'switchProvider'], dashboard: false },
  'network': { title: 'Connection failed', cause: 'Could not reach the provider: network, proxy or firewall.', actions: ['retry', 'verify'], dashboard: false },
  'timeout': { title: 'Timed out', cause: 'The provider did not answer in time.', actions: ['retry', 'switchProvider'], dashboard: false },
  'aborted': { title: 'Stopped', cause: 'The request was stopped.', actions: ['retry'], dashboard: false },
  'missing-key': { title: 'No API key', cause: 'No key is set.', actions: ['setKey', 'openDashboard'], dashboard: true },
  'content-filter': { title: 'Blocked by the provider', cause: 'The provider\'s safety filter blocked the answer.', actions: ['retry'], dashboard: false },
  'key-store': { title: 'Key store failed', cause: 'The key store failed: VS Code\'s secret storage could not be used.', actions: ['keyStoreHelp', 'retry'], dashboard: false },
  'budget': { title: 'Over budget', cause: 'The request would exceed your BYOK AI budget.', actions: ['raiseBudget', 'sendAnyway', 'switchProvider', 'openUsage'], dashboard: false },
};

/** How a kind is presented. `dashboardUrl` decides whether `openDashboard` is offered. */
export function presentationFor(kind: ProviderErrorKind, dashboardUrl?: string): ErrorPresentation {
  const row = table[kind];
  const fix = row.dashboard && dashboardUrl ? `${fixForKind[kind]} Dashboard: ${dashboardUrl}` : fixForKind[kind];
  const actions = row.actions.filter(action => action !== 'openDashboard' || Boolean(dashboardUrl));
  return { ...row, fix, actions };
}

/** Everything a view needs to show an error: the key-free message plus title, fix and actions. */
export function presentError(error: ProviderError, dashboardUrl?: string): ErrorInfo & { title: string; actions: ErrorAction[] } {
  const presentation = presentationFor(error.kind, dashboardUrl);
  return {
    kind: error.kind, providerId: error.providerId, message: redact(error.message), fix: presentation.fix,
    title: presentation.title, actions: [...presentation.actions], retryable: error.retryable,
    ...(error.status !== undefined ? { status: error.status } : {}),
  };
}

/** Button text for an action, the same in notifications and in the webviews. */
export const errorActionLabels: Record<ErrorAction, string> = {
  setKey: 'Set key',
  verify: 'Verify again',
  switchProvider: 'Switch provider',
  retry: 'Retry',
  openDashboard: 'Open dashboard',
  raiseBudget: 'Raise budget',
  sendAnyway: 'Send anyway',
  openUsage: 'Open usage',
  keyStoreHelp: 'How to fix the key store',
};

/** One line for a notification: "OpenAI — Key rejected: <message>. <fix>". */
export function errorNotificationText(label: string, info: Pick<ErrorInfo, 'message' | 'fix'> & { title: string }): string {
  const message = info.message.replace(/\s+$/, '');
  return `${label} — ${info.title}: ${message}${/[.!?)]$/.test(message) ? '' : '.'} ${info.fix}`;
}
