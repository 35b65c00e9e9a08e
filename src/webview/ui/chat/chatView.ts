// The chat view: the state (a pure reducer over host events and user actions) and the components
// that show it. Each dispatch reduces, then lets every component change what differs between the
// previous and the next state. A component that throws cannot stop the others, so the composer
// always leaves its busy state when chat/end arrives.
import type { HostToWebview, WebviewToHost } from '../../protocol';
import { renderMarkdownOrThrow } from '../markdown';
import type { ViewState } from '../vscodeApi';
import { Composer } from './composer';
import { Header } from './header';
import { HistoryPanel } from './history';
import { chatMessages } from './messages';
import { matchSlashCommand } from './presetFilter';
import { initialChatState, reduce, type ChatAction, type ChatState } from './state';
import { Transcript } from './transcript';

/** What the view needs from its surroundings: the webview API in VS Code, fakes in tests. */
export interface ChatHost {
  post(message: WebviewToHost): void;
  getState(): ViewState;
  setState(patch: ViewState): void;
}

export interface ChatViewOptions {
  /** Markdown → safe nodes, may throw; defaults to renderMarkdownOrThrow (a failure shows the answer as plain text). */
  render?: (markdown: string) => DocumentFragment;
  /** Defers streaming renders; defaults to requestAnimationFrame. */
  schedule?: (callback: () => void) => void;
  newRequestId?: () => string;
  onError?: (error: unknown) => void;
}

export class ChatView {
  private current: ChatState;
  private readonly header: Header;
  private readonly history: HistoryPanel;
  private readonly transcript: Transcript;
  private readonly composer: Composer;
  private restoreScroll: number | undefined;
  private scrollSaveScheduled = false;
  private readonly onError: (error: unknown) => void;
  private readonly newRequestId: () => string;

  constructor(private readonly root: HTMLElement, private readonly host: ChatHost, options: ChatViewOptions = {}) {
    const saved = host.getState();
    this.current = initialChatState(saved);
    this.restoreScroll = saved.scrollTop;
    this.onError = options.onError ?? (error => console.error('BYOK AI chat view:', error));
    this.newRequestId = options.newRequestId ?? (() => crypto.randomUUID());
    const post = (message: WebviewToHost): void => host.post(message);

    this.header = new Header({
      newChat: () => post(chatMessages.newChat()),
      toggleHistory: () => this.toggleHistory(),
      exportConversation: () => {
        const id = this.current.conversationId || this.current.activeId;
        if (id) post(chatMessages.exportChat(id));
      },
    });
    this.history = new HistoryPanel({
      post,
      close: refocus => {
        if (this.current.historyOpen) this.toggleHistory();
        if (refocus) this.header.historyToggle.focus();
      },
    });
    this.transcript = new Transcript({
      render: options.render ?? renderMarkdownOrThrow, post, onError: this.onError,
      ...(options.schedule ? { schedule: options.schedule } : {}),
    });
    this.composer = new Composer({
      post,
      draft: text => this.dispatch({ type: 'ui/draft', text }),
      send: () => this.send(),
      cancel: () => this.cancel(),
      recall: direction => {
        const before = this.current;
        return this.dispatch({ type: 'ui/prompt-history', direction }) !== before;
      },
      isBusy: () => this.current.busy !== undefined,
      dispatch: action => { this.dispatch(action); },
    });

    root.replaceChildren(this.header.element, this.history.element, this.transcript.element, this.composer.element);
    root.addEventListener('keydown', event => {
      if (event.key === 'Escape' && this.current.historyOpen && this.history.element.contains(event.target as Node)) {
        this.toggleHistory();
        this.header.historyToggle.focus();
      } else if (event.key === 'Escape' && this.current.busy && !event.defaultPrevented) {
        this.cancel();
      }
    });
    this.transcript.element.addEventListener('scroll', () => this.saveScrollSoon(), { passive: true });
    window.addEventListener('resize', () => this.composer.autosize());
    this.show(undefined, this.current, undefined);
  }

  get state(): ChatState {
    return this.current;
  }

  /** A message from the host. */
  handle(message: HostToWebview): void {
    this.dispatch(message);
  }

  dispatch(action: ChatAction): ChatState {
    const previous = this.current;
    let next: ChatState;
    try {
      next = reduce(previous, action);
    } catch (error) {
      this.onError(error);
      return previous;
    }
    if (next === previous) return previous;
    this.current = next;
    this.show(previous, next, action);
    return next;
  }

  private show(previous: ChatState | undefined, next: ChatState, action: ChatAction | undefined): void {
    this.safely(() => this.header.update(previous, next));
    this.safely(() => this.history.update(previous, next));
    this.safely(() => this.transcript.update(previous, next));
    this.safely(() => this.composer.update(previous, next));
    this.root.classList.toggle('busy', next.busy !== undefined);
    if (previous && previous.draft !== next.draft) this.host.setState({ draft: next.draft });
    if (action?.type === 'chat/state') this.safely(() => this.placeScroll(previous, next));
  }

  private placeScroll(previous: ChatState | undefined, next: ChatState): void {
    const pin = this.transcript.scrollPin;
    if (this.restoreScroll !== undefined) {
      this.transcript.element.scrollTop = this.restoreScroll;
      this.restoreScroll = undefined;
    } else if (previous?.conversationId !== next.conversationId || pin.isPinned) {
      pin.pin();
    }
  }

  private safely(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.onError(error);
    }
  }

  private send(): void {
    const requestId = this.newRequestId();
    const text = this.current.draft;
    // `/name args` naming a known preset is expanded by the host; anything else is sent as typed.
    const command = matchSlashCommand(text, this.current.presets);
    const next = this.dispatch({ type: 'ui/send', requestId });
    if (next.busy?.requestId !== requestId) return;
    this.host.post(command ? chatMessages.sendPreset(requestId, command.name, command.arguments) : chatMessages.send(requestId, text));
    this.transcript.scrollPin.pin();
  }

  private cancel(): void {
    const requestId = this.current.busy?.requestId;
    if (!requestId) return;
    this.host.post(chatMessages.cancel(requestId));
    this.dispatch({ type: 'ui/cancel' });
  }

  private toggleHistory(): void {
    const next = this.dispatch({ type: 'ui/history-toggle' });
    this.host.setState({ historyOpen: next.historyOpen });
    if (next.historyOpen) this.host.post(chatMessages.history());
  }

  private saveScrollSoon(): void {
    if (this.scrollSaveScheduled) return;
    this.scrollSaveScheduled = true;
    requestAnimationFrame(() => {
      this.scrollSaveScheduled = false;
      this.host.setState({ scrollTop: this.transcript.element.scrollTop });
    });
  }
}
