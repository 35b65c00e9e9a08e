// One message of the transcript as DOM. A user message is plain text (never markup). An answer is
// rendered once when it arrives finished, or streams through StreamingMarkdown (only its open tail
// is rendered again per frame) and is finished in place when chat/end arrives.
import type { PresetUse, TranscriptMessage, WebviewToHost } from '../../protocol';
import { button, h, icon } from '../dom';
import { chatMessages } from './messages';
import { plainTextFallback, reportRenderFailure } from '../markdown';
import { StreamingMarkdown } from '../streamingMessage';
import { renderErrorBox } from './errorBox';
import { renderMetaLine } from './metaLine';
import type { StreamState } from './state';

export interface MessageContext {
  /** Markdown → safe nodes; may throw (renderMarkdownOrThrow; a test counts the calls). */
  render: (markdown: string) => DocumentFragment;
  /** Defers a streaming render to the next frame (requestAnimationFrame). */
  schedule?: (callback: () => void) => void;
  /** After content changed (keeps the transcript pinned to the bottom). */
  onRender: () => void;
  post: (message: WebviewToHost) => void;
}

export interface MessageView {
  readonly element: HTMLElement;
  /** Shows `message` (a new version of the same message). */
  update(message: TranscriptMessage): void;
  /** Starts streaming into this message, from `stream.text`. */
  startStream?(stream: StreamState): void;
  /** Shows what `stream` has beyond what is shown already. */
  applyStream?(stream: StreamState): void;
}

/** A view of `message`; with `stream`, the answer starts streaming at once instead of rendering its text. */
export function createMessageView(message: TranscriptMessage, context: MessageContext, stream?: StreamState): MessageView {
  return message.role === 'user' ? new UserMessageView(message, context.post) : new AnswerView(message, context, stream);
}

function messageShell(role: 'user' | 'assistant', id: string): HTMLElement {
  const user = role === 'user';
  return h('article', { class: `message ${role}`, 'data-message-id': id, 'aria-label': user ? 'You' : 'BYOK AI' },
    h('div', { class: 'message-header' }, icon(user ? 'account' : 'sparkle'), h('span', { class: 'author' }, user ? 'You' : 'BYOK AI')));
}

class UserMessageView implements MessageView {
  element: HTMLElement;

  constructor(message: TranscriptMessage, private readonly post: (message: WebviewToHost) => void) {
    this.element = this.build(message);
  }

  update(message: TranscriptMessage): void {
    const element = this.build(message);
    this.element.replaceWith(element);
    this.element = element;
  }

  private build(message: TranscriptMessage): HTMLElement {
    const element = messageShell('user', message.id);
    // Save as Preset: the prompt as sent (a preset's expanded prompt) becomes a new user preset.
    element.querySelector('.message-header')?.append(button('Save as Preset', 'save', () => this.post(chatMessages.savePreset(message.preset?.prompt ?? message.text)), {
      className: 'message-action save-preset',
    }));
    if (message.preset) element.append(presetChip(message.preset));
    element.append(h('div', { class: 'message-body user-text' }, message.text));
    if (message.attachments?.length) {
      element.append(h('div', { class: 'message-attachments' },
        ...message.attachments.map(chip => h('span', { class: 'chip static' },
          icon(chip.kind === 'file' ? 'file' : 'selection'), h('span', { class: 'chip-label' }, chip.label)))));
    }
    return element;
  }
}

/** The preset's name as a chip, and the prompt it expanded to behind a disclosure. */
function presetChip(preset: PresetUse): HTMLElement {
  return h('details', { class: 'preset-use' },
    h('summary', {}, h('span', { class: 'chip static preset-chip', title: `Preset /${preset.name} (${preset.source})` }, icon('symbol-snippet'), h('span', { class: 'chip-label' }, `/${preset.name}`)),
      h('span', { class: 'muted' }, ' expanded prompt')),
    h('pre', { class: 'preset-prompt' }, preset.prompt));
}

interface Streamed {
  serial: number;
  body: StreamingMarkdown;
  reasoning: StreamingMarkdown | undefined;
  status: HTMLElement;
}

class AnswerView implements MessageView {
  readonly element: HTMLElement;
  private body: HTMLElement;
  private reasoning: { details: HTMLDetailsElement; body: HTMLElement } | undefined;
  private live: Streamed | undefined;

  constructor(message: TranscriptMessage, private readonly context: MessageContext, stream: StreamState | undefined) {
    this.element = messageShell('assistant', message.id);
    this.body = h('div', { class: 'message-body markdown-body' });
    this.element.append(this.body);
    if (stream) this.startStream(stream);
    else this.renderFinished(message);
  }

  update(message: TranscriptMessage): void {
    this.element.dataset['messageId'] = message.id;
    const live = this.live;
    if (!live) {
      this.renderFinished(message);
      return;
    }
    // The host's final message is the truth: finish() renders again only if its text differs.
    this.live = undefined;
    live.body.finish(message.text);
    if (message.reasoning && !live.reasoning) live.reasoning = this.streamReasoning(message.reasoning);
    live.reasoning?.finish(message.reasoning ?? live.reasoning.value);
    live.status.remove();
    this.element.classList.remove('streaming');
    this.body.setAttribute('aria-busy', 'false');
    this.decorate(message);
  }

  startStream(stream: StreamState): void {
    this.element.classList.add('streaming');
    this.element.querySelector('.message-footer')?.remove();
    this.element.querySelector('.error-box')?.remove();
    this.live?.status.remove();
    this.reasoning?.details.remove();
    this.reasoning = undefined;
    // A fresh body: a renderer of an earlier stream into this message may still have a frame queued.
    const body = h('div', { class: 'message-body markdown-body' });
    this.body.replaceWith(body);
    this.body = body;
    this.body.setAttribute('aria-live', 'polite');
    this.body.setAttribute('aria-busy', 'true');
    const status = h('div', { class: 'message-status', role: 'status' });
    this.element.append(status);
    this.live = {
      serial: stream.serial,
      body: new StreamingMarkdown(this.body, this.streamOptions(), stream.text),
      reasoning: stream.reasoning ? this.streamReasoning(stream.reasoning) : undefined,
      status,
    };
    this.showStatus(stream);
  }

  applyStream(stream: StreamState): void {
    const live = this.live;
    if (!live || live.serial !== stream.serial) {
      this.startStream(stream);
      return;
    }
    // The stream's text only grows, so what is new is what lies past what was shown.
    const reasoning = stream.reasoning.slice(live.reasoning?.value.length ?? 0);
    if (reasoning) {
      live.reasoning ??= this.streamReasoning('');
      live.reasoning.append(reasoning);
    }
    const text = stream.text.slice(live.body.value.length);
    if (text) live.body.append(text);
    this.showStatus(stream);
  }

  private showStatus(stream: StreamState): void {
    const status = this.live?.status;
    if (!status) return;
    const shown = stream.status ? `status:${stream.status}` : stream.text === '' ? 'thinking' : '';
    // Called for every batch of deltas: touch the DOM only when the line changes.
    if (status.dataset['shows'] === shown) return;
    status.dataset['shows'] = shown;
    if (stream.status) status.replaceChildren(icon('info'), ` ${stream.status}`);
    else if (shown) status.replaceChildren(icon('loading', 'codicon-modifier-spin'), ' Thinking\u2026');
    else status.replaceChildren();
    status.hidden = shown === '';
  }

  private renderFinished(message: TranscriptMessage): void {
    this.reasoning?.details.remove();
    this.reasoning = undefined;
    if (message.reasoning) this.addReasoning().replaceChildren(this.renderSafely(message.reasoning));
    this.body.replaceChildren(this.renderSafely(message.text));
    this.decorate(message);
  }

  /** Like the streaming renderer: an answer that cannot be rendered is shown as plain text with a note. */
  private renderSafely(markdown: string): DocumentFragment {
    try {
      return this.context.render(markdown);
    } catch (error) {
      reportRenderFailure(error);
      return plainTextFallback(markdown, this.element.ownerDocument);
    }
  }

  /** The collapsed "Reasoning" section under the header; returns its body. */
  private addReasoning(): HTMLElement {
    const body = h('div', { class: 'reasoning-body markdown-body' });
    const details = h('details', { class: 'reasoning' }, h('summary', {}, icon('lightbulb'), ' Reasoning'), body);
    this.element.querySelector('.message-header')?.after(details);
    this.reasoning = { details, body };
    return body;
  }

  private streamReasoning(text: string): StreamingMarkdown {
    return new StreamingMarkdown(this.addReasoning(), this.streamOptions(), text);
  }

  private streamOptions(): { render: (markdown: string) => DocumentFragment; onRender: () => void; schedule?: (callback: () => void) => void } {
    const options = { render: this.context.render, onRender: this.context.onRender };
    return this.context.schedule ? { ...options, schedule: this.context.schedule } : options;
  }

  /** The meta line, the stopped badge and the error box of a finished answer. */
  private decorate(message: TranscriptMessage): void {
    this.element.querySelector('.message-footer')?.remove();
    this.element.querySelector('.error-box')?.remove();
    const stopped = message.stopped || message.error?.kind === 'aborted';
    if (message.meta || stopped) {
      this.element.append(h('div', { class: 'message-footer' },
        message.meta ? renderMetaLine(message.meta) : undefined,
        stopped ? h('span', { class: 'badge stopped', title: 'You stopped this answer' }, icon('debug-stop'), ' stopped') : undefined));
    }
    const error = message.error;
    if (error && error.kind !== 'aborted') this.element.append(renderErrorBox(error, message.requestId, this.context.post));
  }
}

/** What stands in for a message whose rendering threw: its text, plain, so the rest of the transcript still shows. */
export function fallbackMessageView(message: TranscriptMessage): MessageView {
  const build = (current: TranscriptMessage): HTMLElement => {
    const element = messageShell(current.role, current.id);
    element.classList.add('render-failed');
    element.append(h('div', { class: 'message-body user-text' }, current.text));
    return element;
  };
  const view = {
    element: build(message),
    update(current: TranscriptMessage): void {
      const element = build(current);
      view.element.replaceWith(element);
      view.element = element;
    },
  };
  return view;
}
