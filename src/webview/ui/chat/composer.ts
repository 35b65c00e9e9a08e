// The input area: a notice line, attached context chips, the prompt, the model picker and
// Send/Stop. Keys: Enter sends, Shift+Enter is a new line, Escape stops, ↑/↓ recall earlier prompts.
// Typing `/` opens the preset menu: ↑/↓ move, Enter or Tab complete `/name `, Escape closes it.
import type { PresetSummary, WebviewToHost } from '../../protocol';
import { button, h, icon, keepingFocus } from '../dom';
import { chatMessages, setupMessage } from './messages';
import { formatChoice } from './metaLine';
import { filterPresets, slashQuery } from './presetFilter';
import { needsSetup, type ChatState, type ChatUiAction } from './state';

export interface ComposerActions {
  post(message: WebviewToHost): void;
  draft(text: string): void;
  send(): void;
  cancel(): void;
  /** ↑/↓: returns whether the key recalled a prompt (then its default is prevented). */
  recall(direction: 'older' | 'newer'): boolean;
  isBusy(): boolean;
  /** The preset menu's own actions (move, close, complete). */
  dispatch(action: ChatUiAction): void;
}

const noPresets: PresetSummary[] = [];

export class Composer {
  readonly element: HTMLElement;
  readonly prompt = h('textarea', { id: 'prompt', class: 'prompt', rows: '1', 'aria-label': 'Ask BYOK AI', placeholder: 'Ask BYOK AI… (/ for presets)', 'aria-autocomplete': 'list' });
  private readonly notice = h('div', { class: 'composer-notice', hidden: true });
  private readonly chipList = h('div', { class: 'chips', role: 'list', 'aria-label': 'Attached context' });
  private readonly modelButton: HTMLButtonElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  /** Sends the draft to several models side by side ("Compare Models…"); the host asks which. */
  private readonly compareButton: HTMLButtonElement;
  readonly presetMenu = h('div', { class: 'preset-menu', id: 'preset-menu', role: 'listbox', 'aria-label': 'Presets', hidden: true });
  /** The rows the menu shows now (the keys act on them). */
  private menuItems: PresetSummary[] = [];
  private menuIndex = 0;
  private presetsRequested = false;
  /** The last filter's inputs and result: the same draft and list are not filtered twice. */
  private filtered: { presets: readonly PresetSummary[]; query: string; result: PresetSummary[] } | undefined;

  constructor(private readonly actions: ComposerActions) {
    const { post } = actions;
    this.modelButton = button('Choose the provider and model', 'sparkle', () => post(chatMessages.pickModel()), {
      id: 'model-pick', className: 'model-button', text: 'Choose a model',
    });
    this.modelButton.append(icon('chevron-down'));
    this.sendButton = button('Send (Enter)', 'send', () => actions.send(), { id: 'send', className: 'send-button' });
    this.stopButton = button('Stop (Escape)', 'debug-stop', () => actions.cancel(), { id: 'stop', className: 'send-button stop' });
    this.stopButton.hidden = true;
    this.compareButton = button('Compare models on this prompt', 'split-horizontal', () => post({ type: 'chat/compare', text: this.prompt.value }), { id: 'compare', className: 'send-button compare' });

    const contextBar = h('div', { class: 'context-bar' },
      this.chipList,
      h('div', { class: 'attach-actions' },
        button('Attach the editor selection', 'selection', () => post(chatMessages.attach('selection')), { className: 'text-button', text: 'Selection' }),
        button('Attach a file', 'file', () => post(chatMessages.attach('file')), { className: 'text-button', text: 'File' })));

    this.element = h('footer', { class: 'composer' },
      this.notice,
      this.presetMenu,
      contextBar,
      h('div', { class: 'input-box' },
        this.prompt,
        h('div', { class: 'input-toolbar' }, this.modelButton, h('span', { class: 'spacer' }), this.compareButton, this.sendButton, this.stopButton)));

    this.prompt.addEventListener('input', () => {
      this.autosize();
      actions.draft(this.prompt.value);
    });
    this.prompt.addEventListener('keydown', event => this.onKey(event));
  }

  update(previous: ChatState | undefined, next: ChatState): void {
    if (this.prompt.value !== next.draft) {
      // Only the state changed the text (sent, recalled, restored): the user's own typing is already there.
      this.prompt.value = next.draft;
      this.prompt.setSelectionRange(next.draft.length, next.draft.length);
      this.autosize();
    }
    const busy = next.busy !== undefined;
    this.sendButton.hidden = busy;
    this.stopButton.hidden = !busy;
    this.sendButton.disabled = next.draft.trim() === '';
    this.compareButton.hidden = busy;
    if (!previous || previous.choice !== next.choice || previous.choiceKnown !== next.choiceKnown) this.renderChoice(next);
    if (!previous || previous.chips !== next.chips) this.renderChips(next);
    this.renderNotice(next);
    this.renderPresetMenu(next);
    if (previous && previous.focusRequests !== next.focusRequests) this.prompt.focus();
  }

  autosize(): void {
    // CSSOM writes are not markup, so the CSP (no inline styles) allows them.
    this.prompt.style.height = 'auto';
    this.prompt.style.height = `${this.prompt.scrollHeight}px`;
  }

  private onKey(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (this.menuItems.length > 0 && this.onMenuKey(event)) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.actions.send();
      return;
    }
    if (event.key === 'Escape' && this.actions.isBusy()) {
      event.preventDefault();
      this.actions.cancel();
      return;
    }
    if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && this.actions.recall(event.key === 'ArrowUp' ? 'older' : 'newer')) {
      event.preventDefault();
    }
  }

  /** Whether the open preset menu used the key. */
  private onMenuKey(event: KeyboardEvent): boolean {
    const count = this.menuItems.length;
    switch (event.key) {
      case 'ArrowDown': this.actions.dispatch({ type: 'ui/preset-move', delta: 1, count }); return true;
      case 'ArrowUp': this.actions.dispatch({ type: 'ui/preset-move', delta: -1, count }); return true;
      case 'Escape': this.actions.dispatch({ type: 'ui/preset-close' }); return true;
      case 'Tab':
      case 'Enter': {
        if (event.shiftKey) return false;
        const picked = this.menuItems[this.menuIndex];
        if (picked) this.actions.dispatch({ type: 'ui/preset-complete', name: picked.name });
        return picked !== undefined;
      }
      default: return false;
    }
  }

  /** The presets matching the draft while it is `/name…`; none otherwise. */
  private presetsFor(state: ChatState): PresetSummary[] {
    const query = slashQuery(state.draft);
    if (query === undefined || state.presetMenuClosedFor === state.draft) return noPresets;
    if (!state.presets) {
      // Read lazily: the host reads preset files only once the user first types `/`.
      if (!this.presetsRequested) {
        this.presetsRequested = true;
        this.actions.post(chatMessages.requestPresets());
      }
      return noPresets;
    }
    if (this.filtered?.presets !== state.presets || this.filtered.query !== query) {
      this.filtered = { presets: state.presets, query, result: filterPresets(state.presets, query) };
    }
    return this.filtered.result;
  }

  private renderPresetMenu(state: ChatState): void {
    const items = this.presetsFor(state);
    const index = items.length ? Math.min(state.presetIndex, items.length - 1) : 0;
    if (items === this.menuItems && index === this.menuIndex) return;
    this.menuItems = items;
    this.menuIndex = index;
    this.presetMenu.hidden = items.length === 0;
    if (!items.length) {
      this.presetMenu.replaceChildren();
      this.prompt.removeAttribute('aria-activedescendant');
      this.prompt.removeAttribute('aria-controls');
      return;
    }
    this.prompt.setAttribute('aria-controls', 'preset-menu');
    this.presetMenu.replaceChildren(...items.map((preset, position) => {
      const row = h('div', {
        class: `preset-option${position === index ? ' selected' : ''}`, role: 'option', id: `preset-option-${position}`,
        'aria-selected': String(position === index), title: `${preset.description}\nSource: ${preset.sourceLabel}`,
      },
      h('span', { class: 'preset-name' }, `/${preset.name}`),
      preset.argumentHint ? h('span', { class: 'preset-hint' }, preset.argumentHint) : undefined,
      h('span', { class: 'preset-description' }, preset.description),
      h('span', { class: 'preset-source' }, preset.sourceLabel));
      // mousedown, not click: the prompt keeps the focus.
      row.addEventListener('mousedown', event => {
        event.preventDefault();
        this.actions.dispatch({ type: 'ui/preset-complete', name: preset.name });
      });
      return row;
    }));
    this.prompt.setAttribute('aria-activedescendant', `preset-option-${index}`);
    this.presetMenu.querySelector('.selected')?.scrollIntoView?.({ block: 'nearest' });
  }

  private renderChoice(state: ChatState): void {
    const { choice } = state;
    const text = this.modelButton.querySelector('.button-text');
    if (text) text.textContent = choice ? formatChoice(choice) : 'Choose a model';
    this.modelButton.title = choice ? `${formatChoice(choice)}. Click to change the provider or model.` : 'Choose the provider and model';
    this.modelButton.setAttribute('aria-label', choice ? `Provider and model: ${formatChoice(choice)}. Change` : 'Choose the provider and model');
    this.modelButton.classList.toggle('warning', !choice || !choice.hasKey);
  }

  private renderChips(state: ChatState): void {
    keepingFocus(() => {
      this.chipList.replaceChildren(...state.chips.map(chip => h('span', { class: 'chip', role: 'listitem', title: chip.label },
        icon(chip.kind === 'file' ? 'file' : 'selection'),
        h('span', { class: 'chip-label' }, chip.label),
        button(`Remove ${chip.label}`, 'close', () => this.actions.post(chatMessages.detach(chip.id)), { className: 'chip-remove', focusKey: `chip:${chip.id}` }))));
    });
    this.chipList.hidden = state.chips.length === 0;
  }

  /**
   * One line above the input: a too-long warning, the host's word on a request that waits or was
   * refused, or a reminder to set up a provider mid-conversation.
   */
  private renderNotice(state: ChatState): void {
    const setup = needsSetup(state) && state.messages.length > 0;
    const hostNotice = state.requestNotice?.text;
    const key = state.tooLong ?? hostNotice ?? (setup ? `setup:${state.choice?.providerId ?? ''}:${state.choice?.providerLabel ?? ''}` : '');
    if (this.notice.dataset['shows'] === key) return;
    this.notice.dataset['shows'] = key;
    const { choice } = state;
    if (state.tooLong) {
      this.notice.replaceChildren(icon('warning'), h('span', {}, state.tooLong));
    } else if (hostNotice) {
      this.notice.replaceChildren(icon('info'), h('span', { role: 'status' }, hostNotice));
    } else if (setup) {
      this.notice.replaceChildren(
        icon('key'),
        h('span', {}, choice ? `No API key is set for ${choice.providerLabel}.` : 'No provider is set up yet.'),
        button(choice ? `Set the ${choice.providerLabel} key` : 'Set up a provider', undefined, () => this.actions.post(setupMessage(choice)), {
          className: 'link-button', text: choice ? 'Set key' : 'Set up',
        }));
    } else {
      this.notice.replaceChildren();
    }
    this.notice.hidden = key === '';
  }
}
