// The list of saved conversations under the header: open, rename, delete. The host owns the list;
// this only shows it while the panel is open.
import type { ConversationSummary, WebviewToHost } from '../../protocol';
import { button, h, keepingFocus } from '../dom';
import { chatMessages } from './messages';
import type { ChatState } from './state';

export interface HistoryActions {
  post(message: WebviewToHost): void;
  /** Closes the panel; `refocus` puts focus back on the history button. */
  close(refocus: boolean): void;
}

export function relativeTime(timestamp: number, now = Date.now()): string {
  const minutes = Math.round((now - timestamp) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(timestamp).toLocaleDateString();
}

export class HistoryPanel {
  readonly element = h('section', { class: 'history-panel', id: 'history-panel', 'aria-label': 'Chat history' });

  constructor(private readonly actions: HistoryActions) {}

  update(previous: ChatState | undefined, next: ChatState): void {
    this.element.hidden = !next.historyOpen;
    if (!next.historyOpen) return;
    const unchanged = previous?.historyOpen && previous.conversations === next.conversations
      && previous.activeId === next.activeId && previous.conversationId === next.conversationId;
    if (unchanged) return;
    keepingFocus(() => this.render(next.conversations, next.conversationId || next.activeId));
  }

  private render(conversations: readonly ConversationSummary[], activeId: string): void {
    const { post, close } = this.actions;
    const rows = conversations.map(conversation => {
      const title = conversation.title || 'Untitled chat';
      const active = conversation.id === activeId;
      const open = button(`Open ${title}`, undefined, () => {
        post(chatMessages.open(conversation.id));
        close(false);
      }, { className: 'history-open', focusKey: `open:${conversation.id}` });
      open.append(h('span', { class: 'history-title' }, title), h('span', { class: 'history-date' }, relativeTime(conversation.updatedAt)));
      if (active) open.setAttribute('aria-current', 'true');
      return h('li', { class: `history-row${active ? ' active' : ''}` },
        open,
        button(`Rename ${title}`, 'edit', () => post(chatMessages.rename(conversation.id)), { className: 'icon-button', focusKey: `rename:${conversation.id}` }),
        button(`Delete ${title}`, 'trash', () => post(chatMessages.remove(conversation.id)), { className: 'icon-button', focusKey: `delete:${conversation.id}` }));
    });
    this.element.replaceChildren(
      h('div', { class: 'history-heading' }, h('span', {}, 'History'),
        button('Close history', 'close', () => close(true), { className: 'icon-button' })),
      rows.length > 0 ? h('ul', { class: 'history-list' }, ...rows) : h('p', { class: 'muted history-empty' }, 'No saved chats yet.'));
  }
}
