// The chat's host side: owns the active conversation, sends turns through the shared router,
// streams deltas to whichever chat view is showing, and persists as it goes. Explain from the
// editor uses the same path (`ask`), so follow-up questions keep the context.

import { randomUUID } from 'node:crypto';
import { ConversationStore, type Conversation, type StoredMessage } from '../config/conversationStore';
import { ProviderError, redact } from '../providers/errors';
import type { ChatMessage } from '../providers/types';
import type { Router } from '../router';
import type { AttachmentChip, ConversationSummary, ErrorInfo, HostToWebview, ModelChoice, TranscriptMessage } from '../webview/protocol';

export interface Attachment extends AttachmentChip {
  /** The text sent to the model with the next message. */
  content: string;
}

export interface ChatControllerOptions {
  store: ConversationStore;
  router: Router;
  systemPrompt(): string;
  maxOutputTokens(): number;
  currentChoice(): ModelChoice | undefined;
  /** Called with true when a request starts and false when the last one ends. */
  onBusyChange?(busy: boolean): void;
  log(message: string): void;
}

const deltaFlushMs = 16;

export class ChatController {
  private conversation: Conversation | undefined;
  private post: ((message: HostToWebview) => void) | undefined;
  private readonly active = new Map<string, AbortController>();
  private attachments: Attachment[] = [];
  private ready: Promise<void> | undefined;

  constructor(private readonly options: ChatControllerOptions) {}

  /** Connects a chat view; everything it needs is re-sent. */
  async connect(post: (message: HostToWebview) => void): Promise<void> {
    this.post = post;
    await this.ensureConversation();
    await this.sendFullState();
  }

  disconnect(post: (message: HostToWebview) => void): void {
    if (this.post === post) this.post = undefined;
  }

  get busy(): boolean {
    return this.active.size > 0;
  }

  private emit(message: HostToWebview): void {
    this.post?.(message);
  }

  private ensureConversation(): Promise<void> {
    this.ready ??= (async () => {
      const [latest] = await this.options.store.list();
      this.conversation = latest ?? newConversation();
      // A reload mid-stream leaves an answer without an end: mark it stopped, keep its text.
      for (const message of this.conversation.messages) {
        if (message.pending) {
          message.stopped = true;
          delete message.pending;
        }
      }
    })();
    return this.ready;
  }

  async activeConversation(): Promise<Conversation> {
    await this.ensureConversation();
    return this.conversation!;
  }

  async sendFullState(): Promise<void> {
    const conversation = await this.activeConversation();
    const busyRequestId = [...this.active.keys()][0];
    this.emit({ type: 'chat/state', conversationId: conversation.id, title: conversation.title, messages: conversation.messages.map(toTranscript), ...(busyRequestId ? { busyRequestId } : {}) });
    this.emit({ type: 'chat/choice', choice: this.options.currentChoice() });
    this.emit({ type: 'context/chips', chips: this.attachments.map(chipOf) });
    await this.sendConversationList();
  }

  private async sendConversationList(): Promise<void> {
    const conversation = await this.activeConversation();
    const stored = await this.options.store.list();
    const summaries: ConversationSummary[] = stored.map(each => ({ id: each.id, title: each.title, updatedAt: each.updatedAt }));
    if (!summaries.some(summary => summary.id === conversation.id)) summaries.unshift({ id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt });
    this.emit({ type: 'chat/conversations', conversations: summaries, activeId: conversation.id });
  }

  sendChoice(): void {
    this.emit({ type: 'chat/choice', choice: this.options.currentChoice() });
  }

  // ---------- attachments ----------

  attach(attachment: Omit<Attachment, 'id'>): void {
    this.attachments.push({ ...attachment, id: randomUUID() });
    this.emit({ type: 'context/chips', chips: this.attachments.map(chipOf) });
  }

  removeAttachment(id: string): void {
    this.attachments = this.attachments.filter(attachment => attachment.id !== id);
    this.emit({ type: 'context/chips', chips: this.attachments.map(chipOf) });
  }

  // ---------- conversations ----------

  async newChat(): Promise<void> {
    this.cancelAll();
    const current = await this.activeConversation();
    if (current.messages.length) await this.options.store.save(current);
    this.conversation = newConversation();
    this.attachments = [];
    await this.sendFullState();
  }

  async open(conversationId: string): Promise<boolean> {
    const conversation = await this.options.store.read(conversationId);
    if (!conversation) return false;
    this.cancelAll();
    const current = await this.activeConversation();
    if (current.messages.length) await this.options.store.save(current);
    this.conversation = conversation;
    await this.sendFullState();
    return true;
  }

  async rename(conversationId: string, title: string): Promise<void> {
    const conversation = conversationId === this.conversation?.id ? this.conversation : await this.options.store.read(conversationId);
    if (!conversation) return;
    conversation.title = title.trim().slice(0, 120) || conversation.title;
    conversation.updatedAt = Date.now();
    await this.options.store.save(conversation);
    await this.sendFullState();
  }

  async delete(conversationId: string): Promise<void> {
    await this.options.store.delete(conversationId);
    if (conversationId === this.conversation?.id) {
      this.cancelAll();
      const [latest] = await this.options.store.list();
      this.conversation = latest ?? newConversation();
    }
    await this.sendFullState();
  }

  async find(conversationId: string): Promise<Conversation | undefined> {
    return conversationId === this.conversation?.id ? this.conversation : this.options.store.read(conversationId);
  }

  // ---------- requests ----------

  cancel(requestId: string): void {
    this.active.get(requestId)?.abort();
  }

  cancelAll(): void {
    for (const controller of this.active.values()) controller.abort();
  }

  /** Sends what the user typed, with the attached context. */
  async send(requestId: string, text: string): Promise<void> {
    const attachments = this.attachments;
    this.attachments = [];
    this.emit({ type: 'context/chips', chips: [] });
    const content = [text, ...attachments.map(attachment => attachment.content)].join('\n\n');
    await this.run(requestId, { text, content, attachments: attachments.map(chipOf) });
  }

  /** A turn started from an editor command: shown as `display`, sent as `content`. */
  async ask(display: string, content: string, overrides?: { providerId?: string; model?: string }): Promise<void> {
    await this.run(randomUUID(), { text: display, content, attachments: [] }, overrides);
  }

  /** Runs the last failed or stopped answer again. */
  async retry(requestId: string): Promise<void> {
    const conversation = await this.activeConversation();
    const index = conversation.messages.findIndex(message => message.requestId === requestId);
    const last = conversation.messages[conversation.messages.length - 1];
    if (index < 0 || last?.requestId !== requestId || this.active.size) return;
    conversation.messages.splice(index, 1);
    const user = conversation.messages[conversation.messages.length - 1];
    if (user?.role !== 'user') return;
    await this.stream(randomUUID(), conversation);
  }

  private async run(requestId: string, turn: { text: string; content: string; attachments: AttachmentChip[] }, overrides?: { providerId?: string; model?: string }): Promise<void> {
    if (this.active.has(requestId)) return;
    const conversation = await this.activeConversation();
    const user: StoredMessage = { id: randomUUID(), role: 'user', text: turn.text, content: turn.content, ...(turn.attachments.length ? { attachments: turn.attachments } : {}) };
    conversation.messages.push(user);
    if (conversation.messages.filter(message => message.role === 'user').length === 1) conversation.title = titleFrom(turn.text);
    conversation.updatedAt = Date.now();
    this.options.store.saveSoon(conversation);
    await this.stream(requestId, conversation, overrides);
  }

  private async stream(requestId: string, conversation: Conversation, overrides?: { providerId?: string; model?: string }): Promise<void> {
    const abort = new AbortController();
    this.active.set(requestId, abort);
    if (this.active.size === 1) this.options.onBusyChange?.(true);
    const history: ChatMessage[] = conversation.messages.map(toChatMessage);
    // The view gets the transcript with the question first, then the empty answer it streams into.
    await this.sendFullState();
    const assistant: StoredMessage = { id: randomUUID(), role: 'assistant', text: '', requestId, pending: true };
    conversation.messages.push(assistant);
    this.emit({ type: 'chat/started', requestId, message: toTranscript(assistant) });

    let pendingText = '';
    let pendingReasoning = '';
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      timer = undefined;
      if (!pendingText && !pendingReasoning) return;
      this.emit({ type: 'chat/delta', requestId, ...(pendingText ? { text: pendingText } : {}), ...(pendingReasoning ? { reasoning: pendingReasoning } : {}) });
      pendingText = '';
      pendingReasoning = '';
    };
    const schedule = (): void => { timer ??= setTimeout(flush, deltaFlushMs); };

    try {
      const stream = this.options.router.streamChat({
        ...overrides, messages: history, system: this.options.systemPrompt(), maxOutputTokens: this.options.maxOutputTokens(),
      }, abort.signal);
      for await (const output of stream) {
        switch (output.type) {
          case 'route':
            assistant.meta = { providerId: output.providerId, providerLabel: output.providerLabel, model: output.model };
            assistant.providerId = output.providerId;
            break;
          case 'first-token':
            if (assistant.meta) assistant.meta.latencyMs = output.latencyMs;
            break;
          case 'text-delta':
            assistant.text += output.text;
            pendingText += output.text;
            schedule();
            break;
          case 'reasoning-delta':
            assistant.reasoning = (assistant.reasoning ?? '') + output.text;
            pendingReasoning += output.text;
            schedule();
            break;
          case 'usage':
            if (assistant.meta) {
              if (output.inputTokens !== undefined) assistant.meta.inputTokens = output.inputTokens;
              if (output.outputTokens !== undefined) assistant.meta.outputTokens = output.outputTokens;
            }
            break;
          case 'retry-scheduled':
            this.emit({ type: 'chat/status', requestId, status: `${output.error.message} Retrying in ${Math.ceil(output.delayMs / 1000)} s…` });
            break;
          case 'trimmed':
            this.emit({ type: 'chat/status', requestId, status: `The ${output.droppedMessages} oldest messages were left out to fit the model's context window.` });
            break;
          case 'finish':
            if (output.unified === 'length') assistant.truncated = true;
            if (output.unified === 'content-filter' && !assistant.text) {
              assistant.error = errorInfo(new ProviderError({ kind: 'content-filter', providerId: assistant.providerId ?? '', message: 'The provider blocked the answer.' }));
            }
            break;
          default:
            break;
        }
        if (output.type === 'text-delta' || output.type === 'reasoning-delta') {
          conversation.updatedAt = Date.now();
          this.options.store.saveSoon(conversation);
        }
      }
    } catch (caught) {
      const error = caught instanceof ProviderError ? caught : new ProviderError({ kind: 'server', providerId: assistant.providerId ?? '', message: String(caught), retryable: false });
      if (error.kind === 'aborted') assistant.stopped = true;
      else assistant.error = errorInfo(error);
      this.options.log(`chat request ${requestId} ended: ${error.toString()}`);
    } finally {
      if (timer) clearTimeout(timer);
      flush();
      delete assistant.pending;
      this.active.delete(requestId);
      if (this.active.size === 0) this.options.onBusyChange?.(false);
      conversation.updatedAt = Date.now();
      await this.options.store.save(conversation).catch(error => this.options.log(`could not save the conversation: ${String(error)}`));
      this.emit({ type: 'chat/end', requestId, message: toTranscript(assistant) });
      await this.sendConversationList();
    }
  }
}

function newConversation(): Conversation {
  const now = Date.now();
  return { id: randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, messages: [] };
}

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}

function chipOf(attachment: Attachment | AttachmentChip): AttachmentChip {
  return { id: attachment.id, label: attachment.label, kind: attachment.kind };
}

export function errorInfo(error: ProviderError): ErrorInfo {
  return {
    kind: error.kind, providerId: error.providerId, message: redact(error.message), fix: error.fix, retryable: error.retryable,
    ...(error.status !== undefined ? { status: error.status } : {}),
  };
}

function toChatMessage(message: StoredMessage): ChatMessage {
  return {
    role: message.role,
    content: message.role === 'user' ? message.content ?? message.text : message.text,
    ...(message.reasoning ? { reasoning: message.reasoning } : {}),
    ...(message.providerId ? { providerId: message.providerId } : {}),
  };
}

/** What the webview may see of a stored message: never the attached content sent to the model. */
export function toTranscript(message: StoredMessage): TranscriptMessage {
  const { id, role, text, reasoning, meta, stopped, error, attachments, requestId } = message;
  return {
    id, role, text, ...(requestId ? { requestId } : {}),
    ...(reasoning ? { reasoning } : {}), ...(meta ? { meta } : {}), ...(stopped ? { stopped } : {}),
    ...(error ? { error } : {}), ...(attachments ? { attachments } : {}),
  };
}
