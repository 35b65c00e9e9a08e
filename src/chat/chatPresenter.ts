// What the chat view is told, as events: a message added or removed, an answer started, its
// deltas, its end, the header. The whole transcript (chat/state) goes out only when a view
// connects or another conversation is opened — never per turn — so a turn costs the view the
// same at turn 200 as at turn 1. Deltas are gathered for one frame (16 ms) before they are posted.

import { toTranscript, visibleMessages, type Conversation, type StoredMessage } from './conversation';
import type { AttachmentChip, ConversationSummary, HostToWebview, ModelChoice } from '../webview/protocol';

const deltaFlushMs = 16;

export class ChatPresenter {
  private post: ((message: HostToWebview) => void) | undefined;
  private readonly pendingDeltas = new Map<string, { text: string; reasoning: string }>();
  private deltaTimer: NodeJS.Timeout | undefined;
  /** The last list sent, so an unchanged list is not sent again. */
  private lastListKey: string | undefined;

  get connected(): boolean {
    return this.post !== undefined;
  }

  connect(post: (message: HostToWebview) => void): void {
    this.post = post;
    this.lastListKey = undefined;
  }

  disconnect(post: (message: HostToWebview) => void): void {
    if (this.post === post) this.post = undefined;
  }

  private emit(message: HostToWebview): void {
    this.post?.(message);
  }

  state(conversation: Conversation, busyRequestId: string | undefined, totalCostUsd: number | undefined): void {
    this.flushDeltas();
    this.emit({
      type: 'chat/state', conversationId: conversation.id, title: conversation.title, messages: visibleMessages(conversation).map(toTranscript),
      ...(busyRequestId ? { busyRequestId } : {}), ...(totalCostUsd !== undefined ? { totalCostUsd } : {}),
    });
  }

  choice(choice: ModelChoice | undefined): void {
    this.emit({ type: 'chat/choice', choice });
  }

  chips(chips: AttachmentChip[]): void {
    this.emit({ type: 'context/chips', chips });
  }

  header(conversation: Conversation, totalCostUsd: number | undefined): void {
    this.emit({ type: 'chat/header', conversationId: conversation.id, title: conversation.title, ...(totalCostUsd !== undefined ? { totalCostUsd } : {}) });
  }

  messageAdded(conversation: Conversation, message: StoredMessage): void {
    this.flushDeltas();
    this.emit({ type: 'chat/message-added', conversationId: conversation.id, message: toTranscript(message) });
  }

  messageRemoved(conversation: Conversation, messageId: string): void {
    this.flushDeltas();
    this.emit({ type: 'chat/message-removed', conversationId: conversation.id, messageId });
  }

  started(requestId: string, answer: StoredMessage): void {
    this.emit({ type: 'chat/started', requestId, message: toTranscript(answer) });
  }

  delta(requestId: string, kind: 'text' | 'reasoning', text: string): void {
    const pending = this.pendingDeltas.get(requestId) ?? { text: '', reasoning: '' };
    pending[kind] += text;
    this.pendingDeltas.set(requestId, pending);
    this.deltaTimer ??= setTimeout(() => this.flushDeltas(), deltaFlushMs);
  }

  status(requestId: string, status: string): void {
    this.flushDeltas();
    this.emit({ type: 'chat/status', requestId, status });
  }

  end(requestId: string, answer: StoredMessage): void {
    this.flushDeltas();
    this.emit({ type: 'chat/end', requestId, message: toTranscript(answer) });
  }

  /** Sends the history list unless the view already has exactly this list. */
  conversations(summaries: ConversationSummary[], activeId: string, force = false): void {
    const key = JSON.stringify([activeId, summaries.map(each => [each.id, each.title])]);
    if (!force && key === this.lastListKey) return;
    this.lastListKey = key;
    this.emit({ type: 'chat/conversations', conversations: summaries, activeId });
  }

  flushDeltas(): void {
    if (this.deltaTimer) clearTimeout(this.deltaTimer);
    this.deltaTimer = undefined;
    for (const [requestId, pending] of this.pendingDeltas) {
      if (!pending.text && !pending.reasoning) continue;
      this.emit({ type: 'chat/delta', requestId, ...(pending.text ? { text: pending.text } : {}), ...(pending.reasoning ? { reasoning: pending.reasoning } : {}) });
    }
    this.pendingDeltas.clear();
  }
}
