// The chat's host side: owns the active conversation, runs its requests one at a time through the
// router's turn API, and tells the view what changed through the presenter. Explain from the
// editor uses the same path (`ask`), so follow-up questions keep the context.
//
// Hot path (the view's chat/send → router.turn): append the question, post it, start the turn —
// nothing in between reads the disk or lists conversations; the model's history is one pass over
// the turns in memory, made per request rather than kept as a second copy of the transcript.
// Concurrency: one request streams per conversation. A request that arrives meanwhile (explain
// from the editor, a preset later) waits in a queue, shown to the user as a status, and starts when
// the answer before it settles; retry and "send anyway" are refused with a message instead.

import { randomUUID } from 'node:crypto';
import { presentError } from '../errorPresentation';
import { ProviderError } from '../providers/errors';
import type { ChatMessage } from '../providers/types';
import type { Router, Turn as RouterTurn } from '../router';
import type { TurnResult } from '../router/turn';
import type { AttachmentChip, ConversationSummary, ErrorInfo, HostToWebview, MessageMeta, ModelChoice, PresetUse } from '../webview/protocol';
import { ChatPresenter } from './chatPresenter';
import {
  chipOf, chosenAnswer, newConversation, newTurn, titleFrom, toChatMessage, totalCost, visibleMessages,
  type Conversation, type StoredMessage, type Turn,
} from './conversation';
import type { ConversationStore } from './conversationStore';

export interface Attachment extends AttachmentChip {
  /** The text sent to the model with the next message. */
  content: string;
}

export interface ChatControllerOptions {
  store: ConversationStore;
  router: Pick<Router, 'turn'>;
  systemPrompt(): string;
  maxOutputTokens(): number;
  currentChoice(): ModelChoice | undefined;
  /** Called with true when a request starts (or waits) and false when the last one ends. */
  onBusyChange?(busy: boolean): void;
  /** The provider's key dashboard, offered with errors it can fix. */
  dashboardUrl?(providerId: string): string | undefined;
  log(message: string): void;
}

export const waitingStatus = 'Waiting for the current answer…';
export const busyRefusal = 'An answer is still being written. Try again once it has finished (or stop it).';

/** For `ask` from a preset: the view's request id (so its busy state follows), the feature, the preset chip. */
export interface AskExtras {
  requestId?: string;
  feature?: 'chat' | 'explain';
  preset?: PresetUse;
}

interface RequestOptions {
  feature: 'chat' | 'explain';
  overrides?: { providerId?: string; model?: string };
  overrideBudget?: boolean;
}

interface Request {
  requestId: string;
  conversation: Conversation;
  turn: Turn;
  options: RequestOptions;
}

interface QueuedRequest extends Request {
  done(): void;
}

export class ChatController {
  private conversation: Conversation | undefined;
  private readonly presenter = new ChatPresenter();
  private streaming: { requestId: string; abort: AbortController } | undefined;
  private readonly queue: QueuedRequest[] = [];
  private attachments: Attachment[] = [];
  private ready: Promise<void> | undefined;
  private totalCostUsd: number | undefined;
  private wasBusy = false;
  /** The history list's first entry as last sent, so an unchanged list is not recomputed per turn. */
  private listedFirst: { id: string; title: string } | undefined;

  constructor(private readonly options: ChatControllerOptions) {}

  /** Connects a chat view; everything it needs is re-sent. */
  async connect(post: (message: HostToWebview) => void): Promise<void> {
    this.presenter.connect(post);
    await this.ensureConversation();
    await this.sendFullState();
  }

  disconnect(post: (message: HostToWebview) => void): void {
    this.presenter.disconnect(post);
  }

  get busy(): boolean {
    return this.streaming !== undefined || this.queue.length > 0;
  }

  /** Requests running or waiting (for the memory bench and tests). */
  get requestCount(): number {
    return (this.streaming ? 1 : 0) + this.queue.length;
  }

  private ensureConversation(): Promise<void> {
    this.ready ??= (async () => {
      const [latest] = await this.options.store.list();
      const stored = latest ? await this.options.store.read(latest.id) : undefined;
      this.setConversation(stored ?? newConversation());
    })();
    return this.ready;
  }

  /** Opening walks the transcript once (the total cost), so a send never has to. */
  private setConversation(conversation: Conversation): void {
    this.conversation = conversation;
    this.totalCostUsd = totalCost(conversation);
  }

  async activeConversation(): Promise<Conversation> {
    await this.ensureConversation();
    return this.conversation!;
  }

  /** The active conversation's transcript: each question and its chosen answer. */
  async activeTranscript(): Promise<StoredMessage[]> {
    return visibleMessages(await this.activeConversation());
  }

  /** The whole transcript, the model choice, chips and the history list: on connect / open / new chat. */
  async sendFullState(): Promise<void> {
    const conversation = await this.activeConversation();
    this.presenter.state(conversation, this.streaming?.requestId, this.totalCostUsd);
    this.presenter.choice(this.options.currentChoice());
    this.presenter.chips(this.attachments.map(chipOf));
    await this.sendConversationList(true);
  }

  /** The view opened its history list. */
  async showHistory(): Promise<void> {
    await this.sendConversationList(true);
  }

  private async sendConversationList(force = false): Promise<void> {
    const conversation = await this.activeConversation();
    const stored = await this.options.store.list();
    const summaries: ConversationSummary[] = stored.map(each => ({ id: each.id, title: each.title, updatedAt: each.updatedAt }));
    if (!summaries.some(summary => summary.id === conversation.id)) summaries.unshift({ id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt });
    this.listedFirst = summaries[0] ? { id: summaries[0].id, title: summaries[0].title } : undefined;
    this.presenter.conversations(summaries, conversation.id, force);
  }

  /** After a turn: the list only changes when the active conversation moved to the top or was renamed. */
  private async refreshListAfterTurn(conversation: Conversation): Promise<void> {
    if (this.listedFirst?.id === conversation.id && this.listedFirst.title === conversation.title) return;
    await this.sendConversationList();
  }

  sendChoice(): void {
    this.presenter.choice(this.options.currentChoice());
  }

  // ---------- attachments ----------

  attach(attachment: Omit<Attachment, 'id'>): void {
    this.attachments.push({ ...attachment, id: randomUUID() });
    this.presenter.chips(this.attachments.map(chipOf));
  }

  /** Hands the attached context to another feature (a model comparison) and clears the chips, as a send does. */
  takeAttachments(): Attachment[] {
    const attachments = this.attachments;
    this.attachments = [];
    if (attachments.length) this.presenter.chips([]);
    return attachments;
  }

  removeAttachment(id: string): void {
    this.attachments = this.attachments.filter(attachment => attachment.id !== id);
    this.presenter.chips(this.attachments.map(chipOf));
  }

  // ---------- conversations ----------

  async newChat(): Promise<void> {
    await this.ensureConversation();
    this.cancelAll();
    this.setConversation(newConversation());
    this.attachments = [];
    await this.sendFullState();
  }

  async open(conversationId: string): Promise<boolean> {
    await this.ensureConversation();
    const conversation = conversationId === this.conversation?.id ? this.conversation : await this.options.store.read(conversationId);
    if (!conversation) return false;
    this.cancelAll();
    this.setConversation(conversation);
    await this.sendFullState();
    return true;
  }

  async rename(conversationId: string, title: string): Promise<void> {
    const conversation = await this.find(conversationId);
    if (!conversation) return;
    conversation.title = title.trim().slice(0, 120) || conversation.title;
    conversation.updatedAt = Date.now();
    this.options.store.setTitle(conversation);
    if (conversation === this.conversation) this.presenter.header(conversation, this.totalCostUsd);
    await this.sendConversationList();
  }

  async delete(conversationId: string): Promise<void> {
    await this.ensureConversation();
    if (conversationId === this.conversation?.id) this.cancelAll();
    await this.options.store.delete(conversationId);
    if (conversationId === this.conversation?.id) {
      const [latest] = await this.options.store.list();
      const stored = latest ? await this.options.store.read(latest.id) : undefined;
      this.setConversation(stored ?? newConversation());
      await this.sendFullState();
      return;
    }
    await this.sendConversationList();
  }

  async find(conversationId: string): Promise<Conversation | undefined> {
    await this.ensureConversation();
    return conversationId === this.conversation?.id ? this.conversation : this.options.store.read(conversationId);
  }

  // ---------- requests ----------

  /** Stops the streaming answer, or takes a waiting request out of the queue. */
  cancel(requestId: string): void {
    if (this.streaming?.requestId === requestId) {
      this.streaming.abort.abort();
      return;
    }
    const index = this.queue.findIndex(request => request.requestId === requestId);
    if (index >= 0) this.dropQueued(index);
  }

  cancelAll(): void {
    while (this.queue.length) this.dropQueued(this.queue.length - 1);
    this.streaming?.abort.abort();
  }

  /** Sends what the user typed, with the attached context. Resolves when the answer settled. */
  async send(requestId: string, text: string): Promise<void> {
    const attachments = this.attachments;
    this.attachments = [];
    if (attachments.length) this.presenter.chips([]);
    const content = attachments.length ? [text, ...attachments.map(attachment => attachment.content)].join('\n\n') : text;
    await this.run(requestId, { text, content, attachments: attachments.map(chipOf) }, { feature: 'chat' });
  }

  /** A turn started from an editor command: shown as `display`, sent as `content`. Queued while another answer streams. */
  async ask(display: string, content: string, overrides?: { providerId?: string; model?: string }, extra: AskExtras = {}): Promise<void> {
    const input = { text: display, content, attachments: [], ...(extra.preset ? { preset: extra.preset } : {}) };
    await this.run(extra.requestId ?? randomUUID(), input, { feature: extra.feature ?? 'explain', ...(overrides ? { overrides } : {}) });
  }

  /**
   * Adopts answers written elsewhere (a model comparison) as a new turn: `answers[chosen]` is shown
   * and sent back as history, the others stay in the turn as alternatives. Refused (false) while an
   * answer streams, since the new turn would land in the middle of it.
   */
  async adoptAnswers(input: { text: string; content: string; attachments: AttachmentChip[] }, answers: readonly StoredMessage[], chosen: number): Promise<boolean> {
    const conversation = await this.activeConversation();
    if (this.busy || !answers[chosen]) return false;
    const user: StoredMessage = {
      id: randomUUID(), role: 'user', text: input.text, content: input.content, ...(input.attachments.length ? { attachments: input.attachments } : {}),
    };
    const turn = newTurn(user);
    turn.answers = answers.map(answer => ({ ...answer }));
    turn.chosen = chosen;
    const first = conversation.turns.length === 0;
    conversation.turns.push(turn);
    if (first) conversation.title = titleFrom(input.text);
    conversation.updatedAt = Date.now();
    this.options.store.appendTurn(conversation, turn);
    const answer = chosenAnswer(turn)!;
    for (const each of turn.answers) if (each.meta?.costUsd !== undefined) this.totalCostUsd = (this.totalCostUsd ?? 0) + each.meta.costUsd;
    this.presenter.messageAdded(conversation, user);
    this.presenter.messageAdded(conversation, answer);
    this.presenter.header(conversation, this.totalCostUsd);
    await this.refreshListAfterTurn(conversation);
    return true;
  }

  /** Writes the last answer again (failed, stopped or not liked). The earlier answer stays in the turn, unchosen. */
  async retry(requestId: string): Promise<void> {
    await this.again(requestId, false);
  }

  /** Sends the request a budget refused once more, past the budget this one time. */
  async sendAnyway(requestId: string): Promise<void> {
    await this.again(requestId, true);
  }

  private async again(requestId: string, overrideBudget: boolean): Promise<void> {
    const conversation = await this.activeConversation();
    const turn = conversation.turns[conversation.turns.length - 1];
    if (!turn || chosenAnswer(turn)?.requestId !== requestId) return;
    if (this.busy) {
      this.presenter.status(requestId, busyRefusal);
      return;
    }
    await this.stream({
      requestId: randomUUID(), conversation, turn,
      options: { feature: turn.feature ?? 'chat', ...(turn.overrides ? { overrides: turn.overrides } : {}), ...(overrideBudget ? { overrideBudget } : {}) },
    });
  }

  private knows(requestId: string): boolean {
    return this.streaming?.requestId === requestId || this.queue.some(request => request.requestId === requestId);
  }

  private async run(requestId: string, input: { text: string; content: string; attachments: AttachmentChip[]; preset?: PresetUse }, options: RequestOptions): Promise<void> {
    if (this.knows(requestId)) return;
    const conversation = await this.activeConversation();
    // From here to router.turn nothing awaits: two requests cannot both see an idle conversation.
    const user: StoredMessage = {
      id: randomUUID(), role: 'user', text: input.text, content: input.content,
      ...(input.attachments.length ? { attachments: input.attachments } : {}), ...(input.preset ? { preset: input.preset } : {}),
    };
    const turn = newTurn(user, options.feature, options.overrides);
    const first = conversation.turns.length === 0;
    conversation.turns.push(turn);
    if (first) conversation.title = titleFrom(input.text);
    conversation.updatedAt = Date.now();
    this.options.store.appendTurn(conversation, turn);
    this.presenter.messageAdded(conversation, user);
    if (first) this.presenter.header(conversation, this.totalCostUsd);
    const request: Request = { requestId, conversation, turn, options };
    if (!this.streaming) {
      await this.stream(request);
      return;
    }
    await new Promise<void>(done => {
      this.queue.push({ ...request, done });
      this.presenter.status(requestId, waitingStatus);
      this.updateBusy();
    });
  }

  private dropQueued(index: number): void {
    const [request] = this.queue.splice(index, 1);
    if (!request) return;
    const { conversation, turn } = request;
    conversation.turns = conversation.turns.filter(each => each !== turn);
    this.options.store.removeTurn(conversation, turn);
    this.presenter.messageRemoved(conversation, turn.user.id);
    request.done();
    this.updateBusy();
  }

  private updateBusy(): void {
    const busy = this.busy;
    if (busy === this.wasBusy) return;
    this.wasBusy = busy;
    this.options.onBusyChange?.(busy);
  }

  /**
   * History for a request answering `turn`: every earlier turn's chosen answer, then its question.
   * Built per request and dropped with it, not cached: a cached copy kept two ChatMessages per turn
   * alongside the turns for as long as the conversation was open.
   */
  private historyFor(conversation: Conversation, turn: Turn): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const each of conversation.turns) {
      messages.push(toChatMessage(each.user));
      if (each === turn) break;
      const answer = chosenAnswer(each);
      if (answer) messages.push(toChatMessage(answer));
    }
    return messages;
  }

  private async stream(request: Request): Promise<void> {
    const { requestId, conversation, turn, options } = request;
    const abort = new AbortController();
    this.streaming = { requestId, abort };
    this.updateBusy();
    const messages = this.historyFor(conversation, turn);
    const replaced = chosenAnswer(turn);
    const firstAnswer = replaced === undefined;
    const answer: StoredMessage = { id: randomUUID(), role: 'assistant', text: '', requestId, pending: true };
    // A first answer gets an array of one: push() onto the empty array would reserve 17 slots per turn.
    if (turn.answers.length) turn.answers.push(answer);
    else turn.answers = [answer];
    turn.chosen = turn.answers.length - 1;
    if (replaced) this.presenter.messageRemoved(conversation, replaced.id);
    this.presenter.started(requestId, answer);

    const saveLive = (): void => this.options.store.setLive(conversation.id, turn.id, answer);
    let routed: RouterTurn | undefined;
    try {
      routed = this.options.router.turn({
        feature: options.feature, requestId, messages, system: this.options.systemPrompt(), maxOutputTokens: this.options.maxOutputTokens(),
        ...options.overrides, ...(options.overrideBudget ? { overrideBudget: true } : {}),
      }, abort.signal);
      for await (const output of routed.parts) {
        switch (output.type) {
          case 'route':
            answer.meta = { providerId: output.providerId, providerLabel: output.providerLabel, model: output.model };
            answer.providerId = output.providerId;
            break;
          case 'first-token':
            if (answer.meta) answer.meta.latencyMs = output.latencyMs;
            break;
          case 'text-delta':
            answer.text += output.text;
            this.presenter.delta(requestId, 'text', output.text);
            saveLive();
            break;
          case 'reasoning-delta':
            answer.reasoning = (answer.reasoning ?? '') + output.text;
            this.presenter.delta(requestId, 'reasoning', output.text);
            saveLive();
            break;
          case 'retry-scheduled':
            this.presenter.status(requestId, `${output.error.message} Retrying in ${Math.ceil(output.delayMs / 1000)} s…`);
            break;
          case 'trimmed':
            this.presenter.status(requestId, `The ${output.droppedMessages} oldest messages were left out to fit the model's context window.`);
            break;
          case 'finish':
            if (output.unified === 'length') answer.truncated = true;
            if (output.unified === 'content-filter' && !answer.text) {
              answer.error = this.errorInfo(new ProviderError({ kind: 'content-filter', providerId: answer.providerId ?? '', message: 'The provider blocked the answer.' }));
            }
            break;
          default:
            break;
        }
      }
    } catch (caught) {
      const error = caught instanceof ProviderError ? caught : new ProviderError({ kind: 'server', providerId: answer.providerId ?? '', message: String(caught), retryable: false });
      if (error.kind === 'aborted') answer.stopped = true;
      else answer.error = this.errorInfo(error);
      this.options.log(`chat request ${requestId} ended: ${error.toString()}`);
    }
    try {
      await this.settle(request, answer, routed, firstAnswer);
    } finally {
      this.streaming = undefined;
      const next = this.queue.shift();
      // The view clears waiting notices when an answer ends; those still waiting say so again.
      for (const waiting of this.queue) this.presenter.status(waiting.requestId, waitingStatus);
      if (next) {
        void this.stream(next).then(next.done, error => { this.options.log(`chat request ${next.requestId} failed: ${String(error)}`); next.done(); });
      } else {
        this.updateBusy();
      }
    }
    if (conversation === this.conversation) await this.refreshListAfterTurn(conversation);
  }

  /** Fills the answer from the settled result, saves it and tells the view. */
  private async settle(request: Request, streamed: StoredMessage, routed: RouterTurn | undefined, firstAnswer: boolean): Promise<void> {
    const { requestId, conversation, turn } = request;
    // Resolves for every request (aborted and failed too) once priced and recorded.
    const result = routed ? await routed.settled : undefined;
    if (result) streamed.meta = metaFrom(streamed.meta, result);
    if (!streamed.providerId && result?.providerId) streamed.providerId = result.providerId;
    // The settled answer replaces the streaming one as a copy without `pending`: `delete` would turn
    // every answer the conversation keeps into a dictionary-mode object (~0.4 KB more per turn).
    const { pending: _pending, ...answer } = streamed;
    const position = turn.answers.indexOf(streamed);
    if (position >= 0) turn.answers[position] = answer;
    conversation.updatedAt = Date.now();
    this.options.store.settleAnswer(conversation, turn, answer, { firstAnswer });
    // An answer stopped because another conversation was opened ends quietly: the view shows that one now.
    if (conversation === this.conversation) this.presenter.end(requestId, answer);
    if (conversation === this.conversation && answer.meta?.costUsd !== undefined) {
      this.totalCostUsd = (this.totalCostUsd ?? 0) + answer.meta.costUsd;
      this.presenter.header(conversation, this.totalCostUsd);
    }
  }

  private errorInfo(error: ProviderError): ErrorInfo {
    return presentError(error, this.options.dashboardUrl?.(error.providerId));
  }
}

/** The answer's label and figures from the settled result: what the provider served, used and cost. */
function metaFrom(meta: MessageMeta | undefined, result: TurnResult): MessageMeta | undefined {
  if (!meta && !result.providerId) return undefined;
  const filled: MessageMeta = meta ?? { providerId: result.providerId, providerLabel: result.providerLabel, model: result.requestedModel };
  if (result.servedModel && result.servedModel !== filled.model) filled.servedModel = result.servedModel;
  if (result.usage) {
    filled.inputTokens = result.usage.inputTokens;
    filled.cachedInputTokens = result.usage.cacheReadTokens;
    filled.outputTokens = result.usage.outputTokens;
  }
  if (result.timeToFirstTokenMs !== undefined) filled.latencyMs = result.timeToFirstTokenMs;
  if (result.outputTokensPerSecond !== undefined) filled.tokensPerSecond = result.outputTokensPerSecond;
  if (result.cost?.usd !== undefined) filled.costUsd = result.cost.usd;
  if (result.cost?.source === 'unpriced') filled.unpriced = true;
  return filled;
}
