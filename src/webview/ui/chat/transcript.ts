// The conversation as a list of message nodes, one per message id. It changes only what the state
// changed: a new message appends one node, a delta feeds the streaming answer's renderer, chat/end
// finishes that one answer, and only chat/state (another conversation, or a view that reconnects)
// builds every node again. Earlier answers are never rendered again on a new turn.
import type { TranscriptMessage, WebviewToHost } from '../../protocol';
import { button, h, icon } from '../dom';
import { codeActionForButton, linkMessage } from '../markdown';
import { ScrollPin } from '../streamingMessage';
import { chatMessages, setupMessage } from './messages';
import { createMessageView, fallbackMessageView, type MessageContext, type MessageView } from './messageView';
import { formatChoice } from './metaLine';
import { needsSetup, type ChatState, type StreamState } from './state';

export interface TranscriptOptions {
  /** Markdown → safe nodes; may throw (the answer is then shown as plain text). */
  render: (markdown: string) => DocumentFragment;
  schedule?: (callback: () => void) => void;
  post: (message: WebviewToHost) => void;
  /** Reports a message that failed to render (it is shown as plain text instead). */
  onError?: (error: unknown) => void;
}

interface Entry {
  message: TranscriptMessage;
  view: MessageView;
}

export class Transcript {
  readonly element = h('main', { class: 'transcript', id: 'transcript', 'aria-label': 'Conversation', tabindex: '-1' });
  readonly scrollPin: ScrollPin;
  private readonly entries = new Map<string, Entry>();
  private readonly context: MessageContext;
  private emptyState: HTMLElement | undefined;
  /** The serial of the stream whose renderer is attached. */
  private attachedSerial: number | undefined;

  constructor(private readonly options: TranscriptOptions) {
    this.scrollPin = new ScrollPin(this.element);
    this.context = {
      render: options.render,
      onRender: () => this.scrollPin.update(),
      post: options.post,
      ...(options.schedule ? { schedule: options.schedule } : {}),
    };
    this.element.addEventListener('click', event => this.onClick(event));
    this.element.addEventListener('keydown', event => {
      const target = event.target as Element;
      if ((event.key === 'Enter' || event.key === ' ') && target.matches('[data-href]')) {
        event.preventDefault();
        this.openLink(target.getAttribute('data-href') ?? '');
      }
    });
  }

  update(previous: ChatState | undefined, next: ChatState): void {
    const full = !previous || previous.generation !== next.generation;
    if (full) {
      for (const entry of this.entries.values()) entry.view.element.remove();
      this.entries.clear();
      this.attachedSerial = undefined;
    }
    if (full || previous.messages !== next.messages) this.reconcile(next);
    this.syncStream(full ? undefined : previous.stream, next.stream);
    this.syncEmptyState(full ? undefined : previous, next);
  }

  private reconcile(next: ChatState): void {
    const wanted = new Set(next.messages.map(message => message.id));
    for (const [id, entry] of this.entries) {
      if (wanted.has(id)) continue;
      entry.view.element.remove();
      this.entries.delete(id);
    }
    let appended = false;
    let previousElement: Element | null = null;
    for (const message of next.messages) {
      let entry = this.entries.get(message.id);
      if (!entry) {
        entry = { message, view: this.create(message, next.stream) };
        this.entries.set(message.id, entry);
      } else if (entry.message !== message) {
        entry.message = message;
        // A streaming answer gets its text from the stream; the stream step attaches or feeds it.
        if (next.stream?.messageId !== message.id) this.updateView(entry);
      }
      const element = entry.view.element;
      const expected: Element | null = previousElement ? previousElement.nextElementSibling : this.element.firstElementChild;
      if (element !== expected) {
        this.element.insertBefore(element, expected);
        appended ||= expected === null;
      }
      previousElement = element;
    }
    if (appended) this.scrollPin.update();
  }

  private create(message: TranscriptMessage, stream: StreamState | undefined): MessageView {
    const streaming = stream?.messageId === message.id ? stream : undefined;
    try {
      const view = createMessageView(message, this.context, streaming);
      if (streaming) this.attachedSerial = streaming.serial;
      return view;
    } catch (error) {
      this.options.onError?.(error);
      return fallbackMessageView(message);
    }
  }

  private updateView(entry: Entry): void {
    try {
      entry.view.update(entry.message);
    } catch (error) {
      this.options.onError?.(error);
      const fallback = fallbackMessageView(entry.message);
      entry.view.element.replaceWith(fallback.element);
      entry.view = fallback;
    }
  }

  private syncStream(previous: StreamState | undefined, stream: StreamState | undefined): void {
    if (!stream) {
      this.attachedSerial = undefined;
      return;
    }
    if (stream === previous && stream.serial === this.attachedSerial) return;
    const entry = this.entries.get(stream.messageId);
    if (!entry) return;
    try {
      if (stream.serial !== this.attachedSerial) entry.view.startStream?.(stream);
      else entry.view.applyStream?.(stream);
      this.attachedSerial = stream.serial;
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private syncEmptyState(previous: ChatState | undefined, next: ChatState): void {
    if (next.messages.length > 0) {
      this.emptyState?.remove();
      this.emptyState = undefined;
      return;
    }
    const changed = !previous || previous.messages.length > 0 || previous.choice !== next.choice || previous.choiceKnown !== next.choiceKnown;
    if (!changed && this.emptyState) return;
    const emptyState = this.renderEmptyState(next);
    if (this.emptyState) this.emptyState.replaceWith(emptyState);
    else this.element.append(emptyState);
    this.emptyState = emptyState;
  }

  private renderEmptyState(state: ChatState): HTMLElement {
    const { choice } = state;
    const post = this.options.post;
    if (needsSetup(state)) {
      return h('div', { class: 'empty-state setup' },
        icon('key', 'empty-icon'),
        h('h3', {}, 'Set up a provider'),
        h('p', {}, 'BYOK AI works with your own API key: requests go straight from VS Code to the provider you choose and are billed to your account.'),
        h('p', { class: 'muted' }, 'Keys are kept in VS Code\u2019s secret storage and never reach this view.'),
        h('div', { class: 'empty-actions' },
          button(choice ? `Set the ${choice.providerLabel} key` : 'Set up a provider', 'key', () => post(setupMessage(choice)), {
            className: 'primary-button', text: choice ? `Set ${choice.providerLabel} key` : 'Set up a provider',
          }),
          button('Choose another provider', 'arrow-swap', () => post(chatMessages.pickModel()), { className: 'secondary-button', text: 'Choose provider' })));
    }
    return h('div', { class: 'empty-state' },
      icon('comment-discussion', 'empty-icon'),
      h('h3', {}, 'Ask about your code'),
      h('p', { class: 'muted' }, choice ? `Answers come from ${formatChoice(choice)}, with your key.` : 'Answers come from the provider you choose, with your key.'),
      h('p', { class: 'muted' }, 'Attach the selection or a file for context. Enter sends, Shift+Enter starts a new line, \u2191 recalls earlier prompts.'));
  }

  private openLink(href: string): void {
    const message = linkMessage(href);
    if (message) this.options.post(message);
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    if (!target) return;
    const codeButton = target.closest('button.code-action');
    if (codeButton) {
      const message = codeActionForButton(codeButton);
      if (message) {
        this.options.post(message);
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
}

function flashCopied(button: Element): void {
  const glyph = button.querySelector('.codicon');
  if (!glyph) return;
  glyph.classList.replace('codicon-copy', 'codicon-check');
  setTimeout(() => glyph.classList.replace('codicon-check', 'codicon-copy'), 1500);
}
