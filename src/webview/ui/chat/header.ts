// The bar above the transcript: the conversation's title and running cost, new chat, history, export.
import { button, h } from '../dom';
import { formatCost } from './metaLine';
import type { ChatState } from './state';

export interface HeaderActions {
  newChat(): void;
  toggleHistory(): void;
  exportConversation(): void;
}

export class Header {
  readonly element: HTMLElement;
  readonly historyToggle: HTMLButtonElement;
  private readonly title = h('h2', { class: 'chat-title', id: 'chat-title' }, 'New chat');
  private readonly total = h('span', { class: 'chat-total', id: 'chat-total', hidden: true });
  private readonly exportButton: HTMLButtonElement;

  constructor(actions: HeaderActions) {
    this.historyToggle = button('Show chat history', 'history', () => actions.toggleHistory(), { id: 'history-toggle', className: 'icon-button' });
    this.historyToggle.setAttribute('aria-controls', 'history-panel');
    this.exportButton = button('Export chat', 'export', () => actions.exportConversation(), { id: 'export', className: 'icon-button' });
    this.element = h('header', { class: 'chat-header' },
      this.title,
      this.total,
      h('div', { class: 'header-actions' },
        button('New chat', 'add', () => actions.newChat(), { id: 'new-chat', className: 'icon-button' }),
        this.historyToggle,
        this.exportButton));
  }

  update(previous: ChatState | undefined, next: ChatState): void {
    if (previous?.title !== next.title || !previous) this.title.textContent = next.title || 'New chat';
    if (previous?.totalCostUsd !== next.totalCostUsd || !previous) {
      const total = next.totalCostUsd;
      this.total.hidden = total === undefined;
      this.total.textContent = total === undefined ? '' : formatCost(total);
      this.total.title = total === undefined ? '' : `This conversation has cost ${formatCost(total)} so far`;
    }
    this.historyToggle.setAttribute('aria-expanded', String(next.historyOpen));
    this.historyToggle.classList.toggle('active', next.historyOpen);
    this.exportButton.disabled = !(next.conversationId || next.activeId) || next.messages.length === 0;
  }
}
