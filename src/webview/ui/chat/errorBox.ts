// The box under a failed answer: the error presentation the host sent (title, message, fix) and
// one button per action. The host's presentation table decides the actions; a host that sends
// none gets the kind-based defaults below (never a guess from the message text).
import type { ErrorAction, ErrorInfo, ErrorKind, WebviewToHost } from '../../protocol';
import { button, h, icon } from '../dom';
import { chatMessages } from './messages';

const retryableKinds: readonly ErrorKind[] = ['rate-limit', 'overloaded', 'server', 'network', 'timeout'];

/** Which fixes an error box offers by default, by error kind. */
export function errorActions(kind: ErrorKind, retryable?: boolean): ErrorAction[] {
  const actions: ErrorAction[] = [];
  if (kind === 'missing-key' || kind === 'auth') actions.push('setKey');
  if (kind === 'auth' || kind === 'quota' || kind === 'network' || kind === 'timeout') actions.push('verify');
  if (kind === 'budget') actions.push('raiseBudget', 'sendAnyway');
  if (retryable ?? retryableKinds.includes(kind)) actions.push('retry');
  if (['rate-limit', 'overloaded', 'server', 'quota', 'context-length', 'model-not-found', 'budget'].includes(kind)) actions.push('switchProvider');
  if (kind === 'auth' || kind === 'quota') actions.push('openDashboard');
  if (kind === 'budget') actions.push('openUsage');
  if (kind === 'key-store') actions.push('keyStoreHelp');
  return actions;
}

/** The buttons of one error: exactly the host's list when it sent one. */
export function offeredActions(error: ErrorInfo): ErrorAction[] {
  // An action this view has no button for (a newer host) is left out rather than shown blank.
  return error.actions ? error.actions.filter(action => Object.hasOwn(actionLabels, action)) : errorActions(error.kind, error.retryable);
}

/** What a button posts: Retry re-runs the ended request when its id is known; the rest name the provider and the request. */
export function errorActionMessage(action: ErrorAction, error: ErrorInfo, requestId: string | undefined): WebviewToHost {
  if (action === 'retry' && requestId) return chatMessages.retry(requestId);
  return chatMessages.errorAction(action, error.providerId, requestId);
}

export const actionLabels: Record<ErrorAction, { label: string; icon: string }> = {
  setKey: { label: 'Set key', icon: 'key' },
  verify: { label: 'Verify', icon: 'pass' },
  retry: { label: 'Retry', icon: 'refresh' },
  switchProvider: { label: 'Switch provider', icon: 'arrow-swap' },
  openDashboard: { label: 'Open dashboard', icon: 'link-external' },
  raiseBudget: { label: 'Raise budget', icon: 'settings-gear' },
  sendAnyway: { label: 'Send once anyway', icon: 'send' },
  openUsage: { label: 'Show usage', icon: 'graph' },
  keyStoreHelp: { label: 'Key store help', icon: 'question' },
};

export function renderErrorBox(error: ErrorInfo, requestId: string | undefined, post: (message: WebviewToHost) => void): HTMLElement {
  const offered = offeredActions(error);
  const actions = offered.map((action, index) => {
    const { label, icon: iconName } = actionLabels[action];
    return button(label, iconName, () => post(errorActionMessage(action, error, requestId)), {
      className: index === 0 ? 'primary-button small' : 'secondary-button small', text: label,
    });
  });
  return h('div', { class: `error-box kind-${error.kind}`, role: 'alert' },
    error.title
      ? h('div', { class: 'error-title' }, icon('error'), h('span', { class: 'error-headline' }, error.title))
      : undefined,
    h('div', { class: error.title ? 'error-message' : 'error-title' }, error.title ? undefined : icon('error'), h('span', {}, error.message)),
    error.fix ? h('div', { class: 'error-fix' }, error.fix) : undefined,
    actions.length > 0 ? h('div', { class: 'error-actions' }, ...actions) : undefined);
}
