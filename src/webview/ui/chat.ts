// The chat view: a transcript of the active conversation, a composer, a history list.
// It only renders what the host sends (see HostToWebview in ../protocol) and posts user intents
// back; the host owns conversations, keys and requests.
import type {
  AttachmentChip, ConversationSummary, ErrorAction, ErrorInfo, ErrorKind, HostToWebview, MessageMeta, ModelChoice,
  TranscriptMessage, WebviewToHost,
} from '../protocol';
import { button, h, icon, keepingFocus } from './dom';
import { codeActionForButton, linkMessage, renderMarkdown } from './markdown';
import { ScrollPin, StreamingMarkdown } from './streamingMessage';
import { getState, isWebview, onMessage, post, setState } from './vscodeApi';

// ---------- messages to the host (pure, so a test can validate every one) ----------

export const chatMessages = {
  ready: (): WebviewToHost => ({ type: 'ready', view: 'chat' }),
  send: (requestId: string, text: string): WebviewToHost => ({ type: 'chat/send', requestId, text }),
  cancel: (requestId: string): WebviewToHost => ({ type: 'chat/cancel', requestId }),
  retry: (requestId: string): WebviewToHost => ({ type: 'chat/retry', requestId }),
  newChat: (): WebviewToHost => ({ type: 'chat/new' }),
  history: (): WebviewToHost => ({ type: 'chat/history' }),
  open: (conversationId: string): WebviewToHost => ({ type: 'chat/open', conversationId }),
  rename: (conversationId: string): WebviewToHost => ({ type: 'chat/rename', conversationId }),
  remove: (conversationId: string): WebviewToHost => ({ type: 'chat/delete', conversationId }),
  exportChat: (conversationId: string): WebviewToHost => ({ type: 'chat/export', conversationId }),
  attach: (kind: 'selection' | 'file'): WebviewToHost => ({ type: 'context/attach', kind }),
  detach: (attachmentId: string): WebviewToHost => ({ type: 'context/remove', attachmentId }),
  pickModel: (): WebviewToHost => ({ type: 'model/pick' }),
  errorAction: (action: ErrorAction, providerId: string): WebviewToHost => ({ type: 'error/action', action, providerId }),
};

/** The longest prompt the host accepts (see `maxText` in ../protocol). */
export const maxPromptLength = 200_000;

const retryableKinds: readonly ErrorKind[] = ['rate-limit', 'overloaded', 'server', 'network', 'timeout'];

/** Which fixes an error box offers, by error kind (never by message text). */
export function errorActions(kind: ErrorKind, retryable?: boolean): ErrorAction[] {
  const actions: ErrorAction[] = [];
  if (kind === 'missing-key' || kind === 'auth') actions.push('setKey');
  if (kind === 'auth' || kind === 'quota' || kind === 'network' || kind === 'timeout') actions.push('verify');
  if (retryable ?? retryableKinds.includes(kind)) actions.push('retry');
  if (['rate-limit', 'overloaded', 'server', 'quota', 'context-length', 'model-not-found'].includes(kind)) actions.push('switchProvider');
  if (kind === 'auth' || kind === 'quota') actions.push('openDashboard');
  return actions;
}

/** The message an error box button posts: Retry re-runs the ended request when its id is known. */
export function errorActionMessage(action: ErrorAction, error: ErrorInfo, requestId: string | undefined): WebviewToHost {
  if (action === 'retry' && requestId) return chatMessages.retry(requestId);
  return chatMessages.errorAction(action, error.providerId);
}

/** What the setup button posts when no provider is usable yet. */
export function setupMessage(choice: ModelChoice | undefined): WebviewToHost {
  return chatMessages.errorAction('setKey', choice?.providerId || 'openai');
}

const actionLabels: Record<ErrorAction, { label: string; icon: string }> = {
  setKey: { label: 'Set key', icon: 'key' },
  verify: { label: 'Verify', icon: 'pass' },
  retry: { label: 'Retry', icon: 'refresh' },
  switchProvider: { label: 'Switch provider', icon: 'arrow-swap' },
  openDashboard: { label: 'Open dashboard', icon: 'link-external' },
};

export function formatMeta(meta: MessageMeta): string {
  const parts = [meta.providerLabel, meta.model];
  if (meta.inputTokens !== undefined || meta.outputTokens !== undefined) {
    const count = (value: number | undefined): string => (value === undefined ? '?' : value.toLocaleString('en-US'));
    parts.push(`${count(meta.inputTokens)} in / ${count(meta.outputTokens)} out`);
  }
  if (meta.latencyMs !== undefined) parts.push(`first token ${(meta.latencyMs / 1000).toFixed(1)} s`);
  return parts.filter(part => part !== '').join(' · ');
}

export function formatChoice(choice: ModelChoice): string {
  return choice.model ? `${choice.providerLabel} · ${choice.model}` : choice.providerLabel;
}

function relativeTime(timestamp: number, now = Date.now()): string {
  const minutes = Math.round((now - timestamp) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(timestamp).toLocaleDateString();
}

// ---------- the view ----------

interface StreamView {
  requestId: string;
  messageId: string;
  element: HTMLElement;
  body: StreamingMarkdown;
  bodyElement: HTMLElement;
  reasoning: { details: HTMLDetailsElement; body: StreamingMarkdown } | undefined;
  status: HTMLElement;
  gotText: boolean;
}

class ChatView {
  private conversationId = '';
  private messages: TranscriptMessage[] = [];
  private busyRequestId: string | undefined;
  /** Whether the host acknowledged the busy request with chat/started. */
  private busyStarted = false;
  private choice: ModelChoice | undefined;
  private choiceKnown = false;
  private conversations: ConversationSummary[] = [];
  private activeId = '';
  private chips: AttachmentChip[] = [];
  private historyOpen: boolean;
  private stream: StreamView | undefined;
  private readonly requestOfMessage = new Map<string, string>();
  private historyIndex: number | undefined;
  private draftBeforeHistory = '';
  private restoreScroll: number | undefined;
  private scrollSaveScheduled = false;
  private tooLong: string | undefined;
  /** The prompt of the request this view sent last, until the host starts it. */
  private pending: { requestId: string; message: TranscriptMessage } | undefined;

  private readonly titleElement = h('h2', { class: 'chat-title', id: 'chat-title' }, 'New chat');
  private readonly historyToggle: HTMLButtonElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly historyPanel = h('section', { class: 'history-panel', id: 'history-panel', 'aria-label': 'Chat history' });
  private readonly transcript = h('main', { class: 'transcript', id: 'transcript', 'aria-label': 'Conversation', tabindex: '-1' });
  private readonly notice = h('div', { class: 'composer-notice', hidden: true });
  private readonly chipList = h('div', { class: 'chips', role: 'list', 'aria-label': 'Attached context' });
  private readonly prompt = h('textarea', {
    id: 'prompt', class: 'prompt', rows: '1', 'aria-label': 'Ask BYOK AI', placeholder: 'Ask BYOK AI…',
  });
  private readonly modelButton: HTMLButtonElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly scrollPin: ScrollPin;

  constructor(private readonly root: HTMLElement) {
    const saved = getState();
    this.historyOpen = saved.historyOpen ?? false;
    this.restoreScroll = saved.scrollTop;

    this.historyToggle = button('Show chat history', 'history', () => this.toggleHistory(), { id: 'history-toggle', className: 'icon-button' });
    this.historyToggle.setAttribute('aria-controls', 'history-panel');
    this.exportButton = button('Export chat', 'export', () => this.exportConversation(), { id: 'export', className: 'icon-button' });
    const header = h('header', { class: 'chat-header' },
      this.titleElement,
      h('div', { class: 'header-actions' },
        button('New chat', 'add', () => post(chatMessages.newChat()), { id: 'new-chat', className: 'icon-button' }),
        this.historyToggle,
        this.exportButton));

    this.modelButton = button('Choose the provider and model', 'sparkle', () => post(chatMessages.pickModel()), {
      id: 'model-pick', className: 'model-button', text: 'Choose a model',
    });
    this.modelButton.append(icon('chevron-down'));
    this.sendButton = button('Send (Enter)', 'send', () => this.send(), { id: 'send', className: 'send-button' });
    this.stopButton = button('Stop (Escape)', 'debug-stop', () => this.cancel(), { id: 'stop', className: 'send-button stop' });
    this.stopButton.hidden = true;

    const contextBar = h('div', { class: 'context-bar' },
      this.chipList,
      h('div', { class: 'attach-actions' },
        button('Attach the editor selection', 'selection', () => post(chatMessages.attach('selection')), { className: 'text-button', text: 'Selection' }),
        button('Attach a file', 'file', () => post(chatMessages.attach('file')), { className: 'text-button', text: 'File' })));

    const composer = h('footer', { class: 'composer' },
      this.notice,
      contextBar,
      h('div', { class: 'input-box' },
        this.prompt,
        h('div', { class: 'input-toolbar' }, this.modelButton, h('span', { class: 'spacer' }), this.sendButton, this.stopButton)));

    root.replaceChildren(header, this.historyPanel, this.transcript, composer);
    this.scrollPin = new ScrollPin(this.transcript);

    this.prompt.value = saved.draft ?? '';
    this.prompt.addEventListener('input', () => this.onInput());
    this.prompt.addEventListener('keydown', event => this.onPromptKey(event));
    root.addEventListener('keydown', event => {
      if (event.key === 'Escape' && this.historyOpen && this.historyPanel.contains(event.target as Node)) {
        this.toggleHistory();
        this.historyToggle.focus();
      } else if (event.key === 'Escape' && this.busyRequestId && !event.defaultPrevented) {
        this.cancel();
      }
    });
    this.transcript.addEventListener('click', event => this.onTranscriptClick(event));
    this.transcript.addEventListener('keydown', event => {
      const target = event.target as Element;
      if ((event.key === 'Enter' || event.key === ' ') && target.matches('[data-href]')) {
        event.preventDefault();
        this.openLink(target.getAttribute('data-href') ?? '');
      }
    });
    this.transcript.addEventListener('scroll', () => this.saveScrollSoon(), { passive: true });
    window.addEventListener('resize', () => this.autosize());

    this.renderHistory();
    this.renderTranscript();
    this.renderChips();
    this.updateComposer();
    this.autosize();
  }

  handle(message: HostToWebview): void {
    switch (message.type) {
      case 'chat/state': return this.onState(message.conversationId, message.title, message.messages, message.busyRequestId);
      case 'chat/choice': return this.onChoice(message.choice);
      case 'chat/started': return this.onStarted(message.requestId, message.message);
      case 'chat/delta': return this.onDelta(message.requestId, message.text, message.reasoning);
      case 'chat/status': return this.onStatus(message.requestId, message.status);
      case 'chat/end': return this.onEnd(message.requestId, message.message);
      case 'chat/conversations': return this.onConversations(message.conversations, message.activeId);
      case 'context/chips': return this.onChips(message.chips);
      case 'chat/focus': return this.prompt.focus();
      case 'providers/state': return;
    }
  }

  // ----- host messages -----

  private onState(conversationId: string, title: string, messages: TranscriptMessage[], busyRequestId: string | undefined): void {
    const sameConversation = conversationId === this.conversationId;
    this.conversationId = conversationId;
    this.messages = [...messages];
    this.stream = undefined;
    // A request this view just sent may not be known to the host's state yet; keep it until
    // chat/started or chat/end (or Stop) settles it.
    if (busyRequestId !== undefined || this.busyStarted) {
      this.busyRequestId = busyRequestId;
      this.busyStarted = busyRequestId !== undefined;
    }
    this.historyIndex = undefined;
    this.titleElement.textContent = title || 'New chat';
    this.renderTranscript();
    const last = this.messages.at(-1);
    if (busyRequestId && last?.role === 'assistant') {
      const element = this.transcript.querySelector<HTMLElement>(`.message[data-message-id="${CSS.escape(last.id)}"]`);
      if (element) this.attachStream(busyRequestId, last, element);
    }
    this.updateComposer();
    this.renderHistory();
    if (this.restoreScroll !== undefined) {
      this.transcript.scrollTop = this.restoreScroll;
      this.restoreScroll = undefined;
    } else if (!sameConversation || this.scrollPin.isPinned) {
      this.scrollPin.pin();
    }
  }

  private onChoice(choice: ModelChoice | undefined): void {
    this.choice = choice;
    this.choiceKnown = true;
    const text = this.modelButton.querySelector('.button-text');
    if (text) text.textContent = choice ? formatChoice(choice) : 'Choose a model';
    this.modelButton.title = choice ? `${formatChoice(choice)}. Click to change the provider or model.` : 'Choose the provider and model';
    this.modelButton.setAttribute('aria-label', choice ? `Provider and model: ${formatChoice(choice)}. Change` : 'Choose the provider and model');
    this.modelButton.classList.toggle('warning', !choice || !choice.hasKey);
    if (this.messages.length === 0) this.renderTranscript();
    this.updateComposer();
  }

  private onStarted(requestId: string, message: TranscriptMessage): void {
    this.busyRequestId = requestId;
    this.busyStarted = true;
    this.transcript.querySelector('.empty-state')?.remove();
    if (message.role === 'user') {
      if (!this.hasMessage(message.id)) {
        this.messages.push(message);
        this.appendMessage(message);
      }
      this.updateComposer();
      return;
    }
    const pending = this.pending?.requestId === requestId ? this.pending.message : undefined;
    this.pending = undefined;
    const lastUser = this.messages.filter(candidate => candidate.role === 'user').at(-1);
    if (pending && lastUser?.text !== pending.text) {
      this.messages.push(pending);
      this.appendMessage(pending);
    }
    const existing = this.transcript.querySelector<HTMLElement>(`.message[data-message-id="${CSS.escape(message.id)}"]`);
    const element = existing ?? this.appendMessage(message);
    if (!this.hasMessage(message.id)) this.messages.push(message);
    this.attachStream(requestId, message, element);
    this.updateComposer();
    this.scrollPin.update();
  }

  private onDelta(requestId: string, text: string | undefined, reasoning: string | undefined): void {
    const stream = this.stream;
    if (!stream || stream.requestId !== requestId) return;
    if (reasoning) {
      stream.reasoning ??= this.addReasoning(stream.element, '');
      stream.reasoning.body.append(reasoning);
    }
    if (text) {
      if (!stream.gotText) {
        stream.gotText = true;
        stream.status.hidden = true;
        stream.status.replaceChildren();
      }
      stream.body.append(text);
    }
  }

  private onStatus(requestId: string, status: string): void {
    const stream = this.stream;
    if (!stream || stream.requestId !== requestId) return;
    stream.status.hidden = status === '';
    stream.status.replaceChildren(icon('info'), ` ${status}`);
  }

  private onEnd(requestId: string, message: TranscriptMessage): void {
    this.requestOfMessage.set(message.id, requestId);
    const stream = this.stream?.requestId === requestId ? this.stream : undefined;
    const index = this.messages.findIndex(candidate => candidate.id === (stream?.messageId ?? message.id));
    if (index >= 0) this.messages[index] = message;
    else this.messages.push(message);

    if (stream) {
      this.stream = undefined;
      stream.body.finish(message.text);
      if (message.reasoning && !stream.reasoning) stream.reasoning = this.addReasoning(stream.element, message.reasoning);
      stream.reasoning?.body.finish(message.reasoning ?? stream.reasoning.body.value);
      stream.element.dataset['messageId'] = message.id;
      stream.element.classList.remove('streaming');
      stream.bodyElement.setAttribute('aria-busy', 'false');
      stream.status.remove();
      this.decorateEnded(stream.element, message);
    } else {
      const existing = this.transcript.querySelector<HTMLElement>(`.message[data-message-id="${CSS.escape(message.id)}"]`);
      const element = this.renderMessage(message);
      if (existing) existing.replaceWith(element);
      else {
        this.transcript.querySelector('.empty-state')?.remove();
        this.transcript.append(element);
      }
    }
    if (this.busyRequestId === requestId) {
      this.busyRequestId = undefined;
      this.busyStarted = false;
    }
    this.updateComposer();
    this.scrollPin.update();
  }

  private onConversations(conversations: ConversationSummary[], activeId: string): void {
    this.conversations = conversations;
    this.activeId = activeId;
    this.renderHistory();
    this.updateComposer();
  }

  private onChips(chips: AttachmentChip[]): void {
    this.chips = chips;
    this.renderChips();
  }

  // ----- user actions -----

  private send(): void {
    const text = this.prompt.value;
    if (text.trim() === '' || this.busyRequestId) return;
    if (text.length > maxPromptLength) {
      this.tooLong = `This message is ${text.length.toLocaleString('en-US')} characters long; the limit is ${maxPromptLength.toLocaleString('en-US')}. Attach large content as a file instead.`;
      this.renderNotice();
      return;
    }
    const requestId = crypto.randomUUID();
    post(chatMessages.send(requestId, text));
    this.busyRequestId = requestId;
    this.busyStarted = false;
    // Shown at once; the host's chat/state or chat/started replaces it with the stored message.
    const optimistic: TranscriptMessage = { id: `local-${requestId}`, role: 'user', text };
    if (this.chips.length > 0) optimistic.attachments = [...this.chips];
    this.pending = { requestId, message: optimistic };
    this.messages.push(optimistic);
    this.transcript.querySelector('.empty-state')?.remove();
    this.appendMessage(optimistic);
    this.prompt.value = '';
    this.historyIndex = undefined;
    this.onInput();
    this.scrollPin.pin();
    this.updateComposer();
  }

  private cancel(): void {
    const requestId = this.busyRequestId;
    if (!requestId) return;
    post(chatMessages.cancel(requestId));
    if (!this.busyStarted) {
      // The host never acknowledged this request, so no chat/end will clear the busy state.
      this.busyRequestId = undefined;
      this.updateComposer();
    }
  }

  private exportConversation(): void {
    const id = this.conversationId || this.activeId;
    if (id) post(chatMessages.exportChat(id));
  }

  private toggleHistory(): void {
    this.historyOpen = !this.historyOpen;
    setState({ historyOpen: this.historyOpen });
    if (this.historyOpen) post(chatMessages.history());
    this.renderHistory();
  }

  private openLink(href: string): void {
    const message = linkMessage(href);
    if (message) post(message);
  }

  private onTranscriptClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    if (!target) return;
    const codeButton = target.closest('button.code-action');
    if (codeButton) {
      const message = codeActionForButton(codeButton);
      if (message) {
        post(message);
        if (message.type === 'code/action' && message.action === 'copy') flashCopied(codeButton);
      }
      return;
    }
    const link = target.closest('[data-href]');
    if (link) {
      event.preventDefault();
      this.openLink(link.getAttribute('data-href') ?? '');
    }
  }

  private onInput(): void {
    this.tooLong = undefined;
    if (this.historyIndex !== undefined && this.prompt.value !== this.promptHistory()[this.historyIndex]) this.historyIndex = undefined;
    this.autosize();
    setState({ draft: this.prompt.value });
    this.updateComposer();
  }

  private onPromptKey(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.send();
      return;
    }
    if (event.key === 'Escape' && this.busyRequestId) {
      event.preventDefault();
      this.cancel();
      return;
    }
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      const history = this.promptHistory();
      const navigating = this.historyIndex !== undefined && this.prompt.value === history[this.historyIndex];
      if (!navigating && this.prompt.value !== '') return;
      if (event.key === 'ArrowUp') {
        if (history.length === 0) return;
        if (this.historyIndex === undefined) this.draftBeforeHistory = this.prompt.value;
        this.historyIndex = this.historyIndex === undefined ? history.length - 1 : Math.max(0, this.historyIndex - 1);
      } else {
        if (this.historyIndex === undefined) return;
        this.historyIndex = this.historyIndex + 1 >= history.length ? undefined : this.historyIndex + 1;
      }
      event.preventDefault();
      this.prompt.value = this.historyIndex === undefined ? this.draftBeforeHistory : history[this.historyIndex] ?? '';
      this.prompt.setSelectionRange(this.prompt.value.length, this.prompt.value.length);
      this.autosize();
      setState({ draft: this.prompt.value });
      this.updateComposer();
    }
  }

  /** Prompts sent in this conversation, oldest first, without consecutive repeats. */
  private promptHistory(): string[] {
    const prompts: string[] = [];
    for (const message of this.messages) {
      if (message.role === 'user' && message.text !== prompts.at(-1)) prompts.push(message.text);
    }
    return prompts;
  }

  private autosize(): void {
    // CSSOM writes are not markup, so the CSP (no inline styles) allows them.
    this.prompt.style.height = 'auto';
    this.prompt.style.height = `${this.prompt.scrollHeight}px`;
  }

  private saveScrollSoon(): void {
    if (this.scrollSaveScheduled) return;
    this.scrollSaveScheduled = true;
    requestAnimationFrame(() => {
      this.scrollSaveScheduled = false;
      setState({ scrollTop: this.transcript.scrollTop });
    });
  }

  // ----- rendering -----

  private updateComposer(): void {
    const busy = this.busyRequestId !== undefined;
    this.sendButton.hidden = busy;
    this.stopButton.hidden = !busy;
    this.sendButton.disabled = this.prompt.value.trim() === '';
    this.exportButton.disabled = !(this.conversationId || this.activeId) || this.messages.length === 0;
    this.root.classList.toggle('busy', busy);
    this.renderNotice();
  }

  /** One line above the input: a too-long warning, or a reminder to set up a provider mid-conversation. */
  private renderNotice(): void {
    const needsSetup = this.choiceKnown && (!this.choice || !this.choice.hasKey) && this.messages.length > 0;
    if (this.tooLong) {
      this.notice.replaceChildren(icon('warning'), h('span', {}, this.tooLong));
    } else if (needsSetup) {
      this.notice.replaceChildren(
        icon('key'),
        h('span', {}, this.choice ? `No API key is set for ${this.choice.providerLabel}.` : 'No provider is set up yet.'),
        button(this.choice ? `Set the ${this.choice.providerLabel} key` : 'Set up a provider', undefined, () => post(setupMessage(this.choice)), {
          className: 'link-button', text: this.choice ? 'Set key' : 'Set up',
        }));
    }
    this.notice.hidden = !this.tooLong && !needsSetup;
  }

  private hasMessage(id: string): boolean {
    return this.messages.some(message => message.id === id);
  }

  private renderTranscript(): void {
    const elements = this.messages.map(message => this.renderMessage(message));
    this.transcript.replaceChildren(...(elements.length > 0 ? elements : [this.renderEmptyState()]));
  }

  private renderEmptyState(): HTMLElement {
    if (this.choiceKnown && (!this.choice || !this.choice.hasKey)) {
      return h('div', { class: 'empty-state setup' },
        icon('key', 'empty-icon'),
        h('h3', {}, 'Set up a provider'),
        h('p', {}, 'BYOK AI works with your own API key: requests go straight from VS Code to the provider you choose and are billed to your account.'),
        h('p', { class: 'muted' }, 'Keys are kept in VS Code\u2019s secret storage and never reach this view.'),
        h('div', { class: 'empty-actions' },
          button(this.choice ? `Set the ${this.choice.providerLabel} key` : 'Set up a provider', 'key', () => post(setupMessage(this.choice)), {
            className: 'primary-button', text: this.choice ? `Set ${this.choice.providerLabel} key` : 'Set up a provider',
          }),
          button('Choose another provider', 'arrow-swap', () => post(chatMessages.pickModel()), { className: 'secondary-button', text: 'Choose provider' })));
    }
    return h('div', { class: 'empty-state' },
      icon('comment-discussion', 'empty-icon'),
      h('h3', {}, 'Ask about your code'),
      h('p', { class: 'muted' }, this.choice ? `Answers come from ${formatChoice(this.choice)}, with your key.` : 'Answers come from the provider you choose, with your key.'),
      h('p', { class: 'muted' }, 'Attach the selection or a file for context. Enter sends, Shift+Enter starts a new line, \u2191 recalls earlier prompts.'));
  }

  private appendMessage(message: TranscriptMessage): HTMLElement {
    const element = this.renderMessage(message);
    this.transcript.append(element);
    return element;
  }

  private renderMessage(message: TranscriptMessage): HTMLElement {
    const user = message.role === 'user';
    const element = h('article', {
      class: `message ${user ? 'user' : 'assistant'}`,
      'data-message-id': message.id,
      'aria-label': user ? 'You' : 'BYOK AI',
    });
    element.append(h('div', { class: 'message-header' }, icon(user ? 'account' : 'sparkle'), h('span', { class: 'author' }, user ? 'You' : 'BYOK AI')));
    if (user) {
      // The user's own text is shown as written: plain text, never markup.
      element.append(h('div', { class: 'message-body user-text' }, message.text));
      if (message.attachments?.length) {
        element.append(h('div', { class: 'message-attachments' },
          ...message.attachments.map(chip => h('span', { class: 'chip static' }, icon(chip.kind === 'file' ? 'file' : 'selection'), h('span', { class: 'chip-label' }, chip.label)))));
      }
      return element;
    }
    if (message.reasoning) this.addReasoning(element, message.reasoning).body.finish();
    const body = h('div', { class: 'message-body markdown-body' });
    body.innerHTML = renderMarkdown(message.text);
    element.append(body);
    this.decorateEnded(element, message);
    return element;
  }

  private addReasoning(element: HTMLElement, text: string): { details: HTMLDetailsElement; body: StreamingMarkdown } {
    const bodyElement = h('div', { class: 'reasoning-body markdown-body' });
    const details = h('details', { class: 'reasoning' }, h('summary', {}, icon('lightbulb'), ' Reasoning'), bodyElement);
    const header = element.querySelector('.message-header');
    if (header) header.after(details);
    else element.prepend(details);
    return { details, body: new StreamingMarkdown(bodyElement, { onRender: () => this.scrollPin.update() }, text) };
  }

  private attachStream(requestId: string, message: TranscriptMessage, element: HTMLElement): void {
    element.classList.add('streaming');
    element.querySelector('.message-footer')?.remove();
    element.querySelector('.error-box')?.remove();
    // Attaching twice (state, then started, for the same answer) must not leave an orphan indicator.
    element.querySelector('.message-status')?.remove();
    let bodyElement = element.querySelector<HTMLElement>('.message-body');
    if (!bodyElement) {
      bodyElement = h('div', { class: 'message-body markdown-body' });
      element.append(bodyElement);
    }
    bodyElement.setAttribute('aria-live', 'polite');
    bodyElement.setAttribute('aria-busy', 'true');
    const status = h('div', { class: 'message-status', role: 'status' }, icon('loading', 'codicon-modifier-spin'), ' Thinking\u2026');
    element.append(status);
    const existingReasoning = element.querySelector<HTMLDetailsElement>('details.reasoning');
    existingReasoning?.remove();
    const stream: StreamView = {
      requestId,
      messageId: message.id,
      element,
      bodyElement,
      body: new StreamingMarkdown(bodyElement, { onRender: () => this.scrollPin.update() }, message.text),
      reasoning: message.reasoning ? this.addReasoning(element, message.reasoning) : undefined,
      status,
      gotText: message.text !== '',
    };
    if (stream.gotText) status.hidden = true;
    this.stream = stream;
  }

  /** Adds the meta line, the stopped badge and the error box of a finished assistant message. */
  private decorateEnded(element: HTMLElement, message: TranscriptMessage): void {
    element.querySelector('.message-footer')?.remove();
    element.querySelector('.error-box')?.remove();
    const stopped = message.stopped || message.error?.kind === 'aborted';
    if (message.meta || stopped) {
      element.append(h('div', { class: 'message-footer' },
        message.meta ? h('span', { class: 'meta' }, formatMeta(message.meta)) : undefined,
        stopped ? h('span', { class: 'badge stopped', title: 'You stopped this answer' }, icon('debug-stop'), ' stopped') : undefined));
    }
    const error = message.error;
    if (error && error.kind !== 'aborted') element.append(this.renderError(error, this.requestOfMessage.get(message.id) ?? message.requestId));
  }

  private renderError(error: ErrorInfo, requestId: string | undefined): HTMLElement {
    const offered = errorActions(error.kind, error.retryable);
    const actions = offered.map(action => {
      const { label, icon: iconName } = actionLabels[action];
      return button(label, iconName, () => post(errorActionMessage(action, error, requestId)), {
        className: action === offered[0] ? 'primary-button small' : 'secondary-button small', text: label,
      });
    });
    return h('div', { class: `error-box kind-${error.kind}`, role: 'alert' },
      h('div', { class: 'error-title' }, icon('error'), h('span', {}, error.message)),
      error.fix ? h('div', { class: 'error-fix' }, error.fix) : undefined,
      actions.length > 0 ? h('div', { class: 'error-actions' }, ...actions) : undefined);
  }

  private renderChips(): void {
    keepingFocus(() => {
      this.chipList.replaceChildren(...this.chips.map(chip => h('span', { class: 'chip', role: 'listitem', title: chip.label },
        icon(chip.kind === 'file' ? 'file' : 'selection'),
        h('span', { class: 'chip-label' }, chip.label),
        button(`Remove ${chip.label}`, 'close', () => post(chatMessages.detach(chip.id)), { className: 'chip-remove', focusKey: `chip:${chip.id}` }))));
    });
    this.chipList.hidden = this.chips.length === 0;
  }

  private renderHistory(): void {
    this.historyPanel.hidden = !this.historyOpen;
    this.historyToggle.setAttribute('aria-expanded', String(this.historyOpen));
    this.historyToggle.classList.toggle('active', this.historyOpen);
    if (!this.historyOpen) return;
    keepingFocus(() => {
      const activeId = this.conversationId || this.activeId;
      const rows = this.conversations.map(conversation => {
        const title = conversation.title || 'Untitled chat';
        const active = conversation.id === activeId;
        const open = button(`Open ${title}`, undefined, () => {
          post(chatMessages.open(conversation.id));
          this.toggleHistory();
        }, { className: 'history-open', focusKey: `open:${conversation.id}` });
        open.append(h('span', { class: 'history-title' }, title), h('span', { class: 'history-date' }, relativeTime(conversation.updatedAt)));
        if (active) open.setAttribute('aria-current', 'true');
        return h('li', { class: `history-row${active ? ' active' : ''}` },
          open,
          button(`Rename ${title}`, 'edit', () => post(chatMessages.rename(conversation.id)), { className: 'icon-button', focusKey: `rename:${conversation.id}` }),
          button(`Delete ${title}`, 'trash', () => post(chatMessages.remove(conversation.id)), { className: 'icon-button', focusKey: `delete:${conversation.id}` }));
      });
      this.historyPanel.replaceChildren(
        h('div', { class: 'history-heading' }, h('span', {}, 'History'),
          button('Close history', 'close', () => { this.toggleHistory(); this.historyToggle.focus(); }, { className: 'icon-button' })),
        rows.length > 0 ? h('ul', { class: 'history-list' }, ...rows) : h('p', { class: 'muted history-empty' }, 'No saved chats yet.'));
    });
  }
}

function flashCopied(button: Element): void {
  const glyph = button.querySelector('.codicon');
  if (!glyph) return;
  glyph.classList.replace('codicon-copy', 'codicon-check');
  setTimeout(() => glyph.classList.replace('codicon-check', 'codicon-copy'), 1500);
}

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.classList.add('chat-view');
  const view = new ChatView(root);
  onMessage(message => view.handle(message));
  post(chatMessages.ready());
}

if (isWebview()) start();
