// The Providers view: one card per provider with its key state, whether it is active, its model,
// and the actions that fix it. It renders `providers/state` and posts `provider/*` intents; keys
// never reach this view (a card only says whether one is stored).
import type { ErrorInfo, KeyState, ProviderAction, ProviderCard, WebviewToHost } from '../protocol';
import { button, h, icon, keepingFocus } from './dom';
import { isWebview, onMessage, post } from './vscodeApi';

// ---------- messages to the host (pure, so a test can validate every one) ----------

export const providerMessages = {
  ready: (): WebviewToHost => ({ type: 'ready', view: 'providers' }),
  action: (action: ProviderAction, providerId: string): WebviewToHost => ({ type: 'provider/action', action, providerId }),
  /** The protocol has no separate "set model" action: `select` with a model sets that provider's model. */
  selectModel: (providerId: string, model: string): WebviewToHost => ({ type: 'provider/action', action: 'select', providerId, model }),
  addEndpoint: (): WebviewToHost => ({ type: 'provider/addEndpoint' }),
  verifyAll: (): WebviewToHost => ({ type: 'provider/verifyAll' }),
  keyStoreHelp: (providerId: string): WebviewToHost => ({ type: 'error/action', action: 'keyStoreHelp', providerId }),
};

const keyBadges: Record<KeyState, { text: string; icon: string; tone: string; title: string }> = {
  'set': { text: 'Key set', icon: 'key', tone: 'neutral', title: 'A key is stored in VS Code\u2019s secret storage. Verify to check it.' },
  'missing': { text: 'No key', icon: 'warning', tone: 'warning', title: 'No key is stored for this provider.' },
  'failing': { text: 'Key failing', icon: 'error', tone: 'error', title: 'The last check with this key failed.' },
  'verified': { text: 'Verified', icon: 'pass-filled', tone: 'success', title: 'The key worked in the last check.' },
  'not-needed': { text: 'No key needed', icon: 'unlock', tone: 'neutral', title: 'This endpoint works without a key.' },
  'store-failed': { text: 'Key store failed', icon: 'error', tone: 'error', title: 'VS Code\u2019s secret storage failed, so the key cannot be read. See the fix below.' },
};

/** "Key set 2026-11-30" under the badge, when the date is known. */
export function keySetText(card: Pick<ProviderCard, 'keySetOn'>): string | undefined {
  return card.keySetOn ? `Key set ${card.keySetOn}` : undefined;
}

/** Model options for the select: live models first, then catalog ones, the current model always present. */
export function modelOptions(card: ProviderCard): { value: string; label: string }[] {
  const live = card.models.filter(model => model.live);
  const catalog = card.models.filter(model => !model.live);
  const options = [
    ...live.map(model => ({ value: model.id, label: model.label || model.id })),
    ...catalog.map(model => ({ value: model.id, label: `${model.label || model.id} (catalog)` })),
  ];
  if (card.model && !options.some(option => option.value === card.model)) options.unshift({ value: card.model, label: card.model });
  return options;
}

/** The one-line result of the last verification. */
export function verifySummary(verify: NonNullable<ProviderCard['verify']>): string {
  if (!verify.ok) return verify.error ? `${verify.error.title ? `${verify.error.title}: ` : ''}${verify.error.message}` : 'Verification failed.';
  const parts = [`\u2713 ${Math.round(verify.latencyMs).toLocaleString('en-US')} ms`];
  if (verify.modelCount !== undefined) parts.push(`${verify.modelCount.toLocaleString('en-US')} model${verify.modelCount === 1 ? '' : 's'}`);
  return parts.join(' \u00b7 ');
}

// ---------- the view ----------

class ProvidersView {
  private cards: ProviderCard[] = [];
  private problems: string[] = [];
  private loaded = false;
  private readonly banner = h('div', { class: 'settings-problems', role: 'status', 'aria-live': 'polite' });
  private readonly list = h('div', { class: 'provider-list', role: 'list', 'aria-label': 'Providers' });

  constructor(root: HTMLElement) {
    const toolbar = h('div', { class: 'toolbar' },
      button('Verify every active provider', 'checklist', () => post(providerMessages.verifyAll()), { className: 'secondary-button', text: 'Verify all', focusKey: 'verify-all' }),
      button('Add an OpenAI-compatible endpoint', 'add', () => post(providerMessages.addEndpoint()), { className: 'secondary-button', text: 'Add endpoint', focusKey: 'add-endpoint' }));
    root.replaceChildren(toolbar, this.banner, this.list);
    this.render();
  }

  setState(cards: ProviderCard[], problems: string[]): void {
    this.cards = cards;
    this.problems = problems;
    this.loaded = true;
    this.render();
  }

  private render(): void {
    keepingFocus(() => {
      this.banner.hidden = this.problems.length === 0;
      this.banner.replaceChildren(...(this.problems.length ? [
        h('div', { class: 'settings-problems-title' }, icon('warning'), ' Problems in your BYOK AI settings'),
        h('ul', {}, ...this.problems.map(problem => h('li', {}, problem))),
      ] : []));
      if (!this.loaded) {
        this.list.replaceChildren(h('p', { class: 'muted loading' }, icon('loading', 'codicon-modifier-spin'), ' Loading providers\u2026'));
      } else if (this.cards.length === 0) {
        this.list.replaceChildren(h('p', { class: 'muted' }, 'No providers. Add an OpenAI-compatible endpoint to get started.'));
      } else {
        this.list.replaceChildren(...this.cards.map(card => this.renderCard(card)));
      }
    });
  }

  private renderCard(card: ProviderCard): HTMLElement {
    const busy = card.busy !== undefined;
    const act = (action: ProviderAction) => () => post(providerMessages.action(action, card.id));
    const key = (control: string): string => `${card.id}:${control}`;
    const badge = keyBadges[card.keyState];
    const titleId = `provider-title-${card.id}`;

    const toggle = h('button', {
      type: 'button',
      class: 'switch',
      role: 'switch',
      'aria-checked': String(card.enabled),
      'aria-label': `${card.label} active`,
      title: card.enabled ? 'Active: offered in the model picker. Click to deactivate.' : 'Inactive. Click to activate.',
      'data-focus-key': key('active'),
      disabled: busy,
    }, h('span', { class: 'switch-track', 'aria-hidden': 'true' }, h('span', { class: 'switch-thumb' })), h('span', { class: 'switch-label' }, card.enabled ? 'Active' : 'Off'));
    toggle.addEventListener('click', act(card.enabled ? 'deactivate' : 'activate'));

    const header = h('div', { class: 'card-header' },
      h('h3', { class: 'card-title', id: titleId }, card.label),
      card.custom ? h('span', { class: 'tag' }, 'custom') : undefined,
      h('span', { class: 'spacer' }),
      toggle);

    const status = h('div', { class: 'card-status' },
      h('span', { class: `badge key-badge tone-${badge.tone}`, title: badge.title }, icon(badge.icon), ` ${badge.text}`),
      card.selected
        ? h('span', { class: 'badge selected-badge', title: 'New chats use this provider' }, icon('check'), ' Selected')
        : button(`Use ${card.label} for new chats`, 'arrow-right', act('select'), { className: 'link-button', text: 'Use', focusKey: key('select'), disabled: busy }),
      keySetText(card) ? h('span', { class: 'key-date muted', title: 'The date this key was set in BYOK AI (the key itself is never shown).' }, keySetText(card)) : undefined,
      busy ? h('span', { class: 'busy', role: 'status' }, icon('loading', 'codicon-modifier-spin'), card.busy === 'verifying' ? ' Verifying\u2026' : ' Loading models\u2026') : undefined);

    const select = h('select', { class: 'model-select', 'aria-label': `${card.label} model`, 'data-focus-key': key('model'), disabled: busy });
    const options = modelOptions(card);
    if (options.length === 0) select.append(h('option', { value: '' }, 'No models \u2014 refresh to load them'));
    for (const option of options) select.append(h('option', { value: option.value, selected: option.value === card.model }, option.label));
    select.value = card.model;
    select.addEventListener('change', () => {
      if (select.value) post(providerMessages.selectModel(card.id, select.value));
    });
    const model = h('div', { class: 'card-model' },
      h('label', { class: 'field-label' }, 'Model'),
      select,
      button(`Refresh the ${card.label} model list`, 'refresh', act('refreshModels'), { className: 'icon-button', focusKey: key('refresh'), disabled: busy }));

    const hasKey = card.keyState === 'set' || card.keyState === 'verified' || card.keyState === 'failing';
    const keyText = hasKey ? 'Replace key' : 'Set key';
    const small = 'secondary-button small';
    const actions = h('div', { class: 'card-actions' },
      card.keyState !== 'not-needed' || card.custom
        ? button(keyText, 'key', act('setKey'), { className: card.keyState === 'missing' && card.keyRequired ? 'primary-button small' : small, text: keyText, focusKey: key('setKey'), disabled: busy })
        : undefined,
      hasKey ? button(`Delete the ${card.label} key`, 'trash', act('deleteKey'), { className: small, text: 'Delete key', focusKey: key('deleteKey'), disabled: busy }) : undefined,
      button(`Verify ${card.label}`, 'pass', act('verify'), { className: small, text: 'Verify', focusKey: key('verify'), disabled: busy }),
      card.custom ? button(`Edit the ${card.label} endpoint`, 'edit', act('editEndpoint'), { className: small, text: 'Edit', focusKey: key('edit'), disabled: busy }) : undefined,
      card.custom ? button(`Remove the ${card.label} endpoint`, 'trash', act('removeEndpoint'), { className: small, text: 'Remove', focusKey: key('remove'), disabled: busy }) : undefined,
      card.dashboardUrl ? button(`Get a ${card.label} key (opens the provider\u2019s dashboard)`, 'link-external', act('openDashboard'), { className: 'link-button', text: 'Get a key', focusKey: key('dashboard') }) : undefined);

    return h('article', {
      class: `provider-card${card.selected ? ' selected' : ''}${card.enabled ? '' : ' inactive'}${busy ? ' is-busy' : ''}`,
      'data-provider-id': card.id,
      role: 'listitem',
      'aria-labelledby': titleId,
      'aria-busy': busy ? 'true' : undefined,
    },
      header,
      card.custom && card.baseUrl ? h('div', { class: 'card-url', title: card.baseUrl }, icon('globe'), h('span', {}, card.baseUrl)) : undefined,
      status,
      model,
      actions,
      card.keyError ? this.renderKeyError(card.id, card.keyError) : undefined,
      card.verify && !card.keyError ? this.renderVerify(card.verify) : undefined);
  }

  private renderKeyError(providerId: string, error: ErrorInfo): HTMLElement {
    return h('div', { class: 'verify-result failed key-store-error', role: 'status' },
      h('div', { class: 'verify-error' }, icon('error'), h('span', {}, error.title ?? 'Key store failed')),
      h('div', { class: 'verify-fix' }, error.message),
      h('div', { class: 'verify-fix' }, error.fix),
      h('div', { class: 'verify-fix' }, button('How to fix the key store (opens the VS Code docs)', 'link-external', () => post(providerMessages.keyStoreHelp(providerId)), { className: 'link-button', text: 'How to fix', focusKey: `${providerId}:keyStoreHelp` })));
  }

  private renderVerify(verify: NonNullable<ProviderCard['verify']>): HTMLElement {
    const checked = `Checked ${new Date(verify.at).toLocaleString()}`;
    if (verify.ok) return h('div', { class: 'verify-result ok', title: checked, role: 'status' }, verifySummary(verify));
    return h('div', { class: 'verify-result failed', title: checked, role: 'status' },
      h('div', { class: 'verify-error' }, icon('error'), h('span', {}, verifySummary(verify))),
      verify.error?.fix ? h('div', { class: 'verify-fix' }, verify.error.fix) : undefined);
  }
}

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.classList.add('providers-view');
  const view = new ProvidersView(root);
  onMessage(message => {
    if (message.type === 'providers/state') view.setState(message.cards, message.problems ?? []);
  });
  post(providerMessages.ready());
}

if (isWebview()) start();
