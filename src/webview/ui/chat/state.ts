// The chat view's state as a pure reducer over host events and the user's own actions. No DOM:
// components read the state (and the previous one) and change only what differs, so this file is
// unit-tested in plain Node. Every branch returns the same object when nothing changes, which is
// how the view knows that, for instance, an arrow key was not used for prompt history.
import type { AttachmentChip, ConversationSummary, HostToWebview, ModelChoice, PresetSummary, TranscriptMessage } from '../../protocol';

/** The longest prompt the host accepts (see `maxText` in ../../protocol). */
export const maxPromptLength = 200_000;

/** The answer that is streaming now. Its text grows here; the message in `messages` keeps the text it started with. */
export interface StreamState {
  requestId: string;
  messageId: string;
  text: string;
  reasoning: string;
  /** A transient line under the answer ("Retrying in 3 s…"); '' hides it. */
  status: string;
  /** Changes whenever a stream (re)starts, so the transcript knows to attach a fresh renderer. */
  serial: number;
}

export interface ChatState {
  conversationId: string;
  title: string;
  totalCostUsd: number | undefined;
  messages: readonly TranscriptMessage[];
  /** Changes on every chat/state: only then is the whole transcript rendered again. */
  generation: number;
  /** The request in flight; `started` once the host acknowledged it (only then does chat/end follow). */
  busy: { requestId: string; started: boolean } | undefined;
  stream: StreamState | undefined;
  /** The question this view sent last, shown at once, until the host's own copy arrives. */
  pending: { requestId: string; message: TranscriptMessage } | undefined;
  choice: ModelChoice | undefined;
  /** Whether the host said which model is chosen (before that, no setup prompt is shown). */
  choiceKnown: boolean;
  conversations: readonly ConversationSummary[];
  activeId: string;
  chips: readonly AttachmentChip[];
  historyOpen: boolean;
  draft: string;
  /** Position in the prompt history while the user walks it with the arrow keys. */
  historyIndex: number | undefined;
  draftBeforeHistory: string;
  tooLong: string | undefined;
  /** A host status for a request that is not streaming (queued behind another answer, or refused while one streams). */
  requestNotice: { requestId: string; text: string } | undefined;
  /** Bumped by chat/focus, so the composer moves focus once per request. */
  focusRequests: number;
  /** How many streams this view attached so far; the next stream's serial. */
  streamsStarted: number;
  /** The presets for the `/` autocomplete; undefined until the host sent them (asked on the first `/`). */
  presets: readonly PresetSummary[] | undefined;
  /** The highlighted row of the `/` menu. */
  presetIndex: number;
  /** The draft for which Escape closed the `/` menu (it reopens once the draft changes). */
  presetMenuClosedFor: string | undefined;
}

/** What the user does in the view itself. */
export type ChatUiAction =
  | { type: 'ui/draft'; text: string }
  | { type: 'ui/send'; requestId: string }
  | { type: 'ui/cancel' }
  | { type: 'ui/history-toggle' }
  | { type: 'ui/prompt-history'; direction: 'older' | 'newer' }
  | { type: 'ui/preset-move'; delta: number; count: number }
  | { type: 'ui/preset-close' }
  /** The user picked `name` in the menu: the draft becomes `/name `. */
  | { type: 'ui/preset-complete'; name: string };

export type ChatAction = HostToWebview | ChatUiAction;

export function initialChatState(saved: { draft?: string; historyOpen?: boolean } = {}): ChatState {
  return {
    conversationId: '', title: '', totalCostUsd: undefined, messages: [], generation: 0, busy: undefined, stream: undefined,
    pending: undefined, choice: undefined, choiceKnown: false, conversations: [], activeId: '', chips: [],
    historyOpen: saved.historyOpen ?? false, draft: saved.draft ?? '', historyIndex: undefined, draftBeforeHistory: '',
    tooLong: undefined, requestNotice: undefined, focusRequests: 0, streamsStarted: 0,
    presets: undefined, presetIndex: 0, presetMenuClosedFor: undefined,
  };
}

export function reduce(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'chat/state': return onState(state, action);
    case 'chat/message-added': return onMessageAdded(state, action.conversationId, action.message);
    case 'chat/message-removed': return onMessageRemoved(state, action.conversationId, action.messageId);
    case 'chat/header':
      if (!sameConversation(state, action.conversationId)) return state;
      return { ...state, conversationId: action.conversationId, title: action.title, totalCostUsd: action.totalCostUsd };
    case 'chat/choice': return { ...state, choice: action.choice, choiceKnown: true };
    case 'chat/started': return onStarted(state, action.requestId, action.message);
    case 'chat/delta': return onDelta(state, action.requestId, action.text, action.reasoning);
    case 'chat/status':
      if (state.stream?.requestId !== action.requestId) {
        return { ...state, requestNotice: action.status ? { requestId: action.requestId, text: action.status } : undefined };
      }
      return { ...state, stream: { ...state.stream, status: action.status } };
    case 'chat/end': return onEnd(state, action.requestId, action.message);
    case 'chat/conversations': return { ...state, conversations: action.conversations, activeId: action.activeId };
    case 'context/chips': return { ...state, chips: action.chips };
    case 'chat/focus': return { ...state, focusRequests: state.focusRequests + 1 };
    case 'presets/list': return { ...state, presets: action.presets, presetIndex: 0 };
    case 'presets/refused': return onPresetRefused(state, action.requestId, action.reason, action.restoreDraft);
    case 'ui/preset-move':
      if (action.count <= 0) return state;
      return { ...state, presetIndex: (state.presetIndex + action.delta + action.count) % action.count };
    case 'ui/preset-close': return state.presetMenuClosedFor === state.draft ? state : { ...state, presetMenuClosedFor: state.draft };
    case 'ui/preset-complete': return { ...state, draft: `/${action.name} `, presetIndex: 0, presetMenuClosedFor: undefined, historyIndex: undefined };
    case 'providers/state': return state;
    case 'ui/draft': return onDraft(state, action.text);
    case 'ui/send': return onSend(state, action.requestId);
    case 'ui/cancel':
      // Without chat/started the host will send no chat/end, so nothing else would clear the busy state.
      return state.busy && !state.busy.started ? { ...state, busy: undefined } : state;
    case 'ui/history-toggle': return { ...state, historyOpen: !state.historyOpen };
    case 'ui/prompt-history': return onPromptHistory(state, action.direction);
  }
}

// ---------- host events ----------

function onState(state: ChatState, message: Extract<HostToWebview, { type: 'chat/state' }>): ChatState {
  const { busyRequestId } = message;
  // A request this view just sent may not be known to the host's state yet; keep it busy until
  // chat/started or chat/end (or Stop) settles it.
  const busy = busyRequestId !== undefined || state.busy?.started
    ? (busyRequestId !== undefined ? { requestId: busyRequestId, started: true } : undefined)
    : state.busy;
  const last = message.messages.at(-1);
  const stream = busyRequestId !== undefined && last?.role === 'assistant' ? newStream(state, busyRequestId, last) : undefined;
  return {
    ...state,
    conversationId: message.conversationId,
    title: message.title,
    totalCostUsd: message.totalCostUsd,
    messages: [...message.messages],
    generation: state.generation + 1,
    busy,
    stream,
    streamsStarted: stream?.serial ?? state.streamsStarted,
    historyIndex: undefined,
    requestNotice: undefined,
  };
}

function onMessageAdded(state: ChatState, conversationId: string, message: TranscriptMessage): ChatState {
  if (!sameConversation(state, conversationId)) {
    // An event for another conversation is stale, unless this view shows nothing from the host yet.
    const onlyLocal = state.messages.every(candidate => candidate.id === state.pending?.message.id);
    if (!onlyLocal) return state;
  }
  let messages = replaceById(state.messages, message.id, message);
  let pending = state.pending;
  if (messages === state.messages) {
    // The host's copy of the question this view showed optimistically takes its place.
    const optimisticIndex = message.role === 'user' && pending ? indexOfId(state.messages, pending.message.id) : -1;
    messages = optimisticIndex >= 0 ? withAt(state.messages, optimisticIndex, message) : [...state.messages, message];
  }
  if (message.role === 'user') pending = undefined;
  return { ...state, conversationId, messages, pending };
}

function onMessageRemoved(state: ChatState, conversationId: string, messageId: string): ChatState {
  if (!sameConversation(state, conversationId)) return state;
  const index = indexOfId(state.messages, messageId);
  if (index < 0) return state;
  const stream = state.stream?.messageId === messageId ? undefined : state.stream;
  return { ...state, messages: state.messages.filter((_, position) => position !== index), stream };
}

function onStarted(state: ChatState, requestId: string, message: TranscriptMessage): ChatState {
  const busy = { requestId, started: true };
  if (message.role === 'user') {
    // Older hosts announced the question this way.
    const messages = indexOfId(state.messages, message.id) >= 0 ? state.messages : [...state.messages, message];
    return { ...state, busy, messages, requestNotice: noticeWithout(state, requestId) };
  }
  let messages = state.messages;
  const pending = state.pending?.requestId === requestId ? state.pending.message : undefined;
  if (pending && indexOfId(messages, pending.id) < 0) {
    // A chat/state after the send dropped the optimistic question; bring it back unless the host has it.
    const lastUser = [...messages].reverse().find(candidate => candidate.role === 'user');
    if (lastUser?.text !== pending.text) messages = [...messages, pending];
  }
  const replaced = replaceById(messages, message.id, message);
  messages = replaced === messages ? [...messages, message] : replaced;
  const stream = newStream(state, requestId, message);
  return {
    ...state,
    busy,
    messages,
    pending: pending ? undefined : state.pending,
    stream,
    streamsStarted: stream.serial,
    requestNotice: noticeWithout(state, requestId),
  };
}

function onDelta(state: ChatState, requestId: string, text: string | undefined, reasoning: string | undefined): ChatState {
  const stream = state.stream;
  if (!stream || stream.requestId !== requestId || (!text && !reasoning)) return state;
  return {
    ...state,
    stream: {
      ...stream,
      text: text ? stream.text + text : stream.text,
      reasoning: reasoning ? stream.reasoning + reasoning : stream.reasoning,
      // The first words replace a status such as "Retrying…".
      status: text && !stream.text ? '' : stream.status,
    },
  };
}

function onEnd(state: ChatState, requestId: string, ended: TranscriptMessage): ChatState {
  if (typeof ended !== 'object' || ended === null || typeof ended.id !== 'string') {
    // Even a malformed end ends the request: the view must never stay busy.
    return {
      ...state,
      stream: state.stream?.requestId === requestId ? undefined : state.stream,
      busy: state.busy?.requestId === requestId ? undefined : state.busy,
    };
  }
  // Retry must work on this answer later (after a reload too), so it keeps the request id.
  const message = ended.requestId ? ended : { ...ended, requestId };
  const stream = state.stream?.requestId === requestId ? state.stream : undefined;
  const index = indexOfId(state.messages, stream?.messageId ?? message.id);
  const messages = index >= 0 ? withAt(state.messages, index, message) : [...state.messages, message];
  return {
    ...state,
    messages,
    stream: stream ? undefined : state.stream,
    busy: state.busy?.requestId === requestId ? undefined : state.busy,
    pending: state.pending?.requestId === requestId ? undefined : state.pending,
    // Whatever waited or was refused can go ahead now (a queued request says so again if it must wait).
    requestNotice: undefined,
  };
}

// ---------- user actions ----------

function onDraft(state: ChatState, text: string): ChatState {
  if (text === state.draft && state.tooLong === undefined) return state;
  const walking = state.historyIndex !== undefined && text === promptHistory(state.messages)[state.historyIndex];
  return { ...state, draft: text, tooLong: undefined, historyIndex: walking ? state.historyIndex : undefined, presetIndex: 0 };
}

/** The host did not send a slash command: the optimistic question goes, the reason shows, the draft may come back. */
function onPresetRefused(state: ChatState, requestId: string, reason: string, restoreDraft: boolean): ChatState {
  const pending = state.pending?.requestId === requestId ? state.pending : undefined;
  const busy = state.busy?.requestId === requestId && !state.busy.started ? undefined : state.busy;
  if (!pending && busy === state.busy) return { ...state, requestNotice: { requestId, text: reason } };
  return {
    ...state,
    busy,
    pending: pending ? undefined : state.pending,
    messages: pending ? state.messages.filter(message => message.id !== pending.message.id) : state.messages,
    draft: pending && restoreDraft && state.draft === '' ? pending.message.text : state.draft,
    requestNotice: { requestId, text: reason },
  };
}

function onSend(state: ChatState, requestId: string): ChatState {
  const text = state.draft;
  if (text.trim() === '' || state.busy) return state;
  if (text.length > maxPromptLength) {
    return {
      ...state,
      tooLong: `This message is ${text.length.toLocaleString('en-US')} characters long; the limit is ${maxPromptLength.toLocaleString('en-US')}. Attach large content as a file instead.`,
    };
  }
  // Shown at once; the host's chat/message-added (or chat/state) replaces it with the stored message.
  const optimistic: TranscriptMessage = { id: `local-${requestId}`, role: 'user', text };
  if (state.chips.length > 0) optimistic.attachments = [...state.chips];
  return {
    ...state,
    busy: { requestId, started: false },
    pending: { requestId, message: optimistic },
    messages: [...state.messages, optimistic],
    draft: '',
    historyIndex: undefined,
    tooLong: undefined,
    requestNotice: undefined,
  };
}

/** ↑/↓ in an empty prompt (or one showing a recalled prompt) walks the prompts sent before. */
function onPromptHistory(state: ChatState, direction: 'older' | 'newer'): ChatState {
  const history = promptHistory(state.messages);
  const walking = state.historyIndex !== undefined && state.draft === history[state.historyIndex];
  if (!walking && state.draft !== '') return state;
  let index: number | undefined;
  let draftBeforeHistory = state.draftBeforeHistory;
  if (direction === 'older') {
    if (history.length === 0) return state;
    if (state.historyIndex === undefined) draftBeforeHistory = state.draft;
    index = state.historyIndex === undefined ? history.length - 1 : Math.max(0, state.historyIndex - 1);
  } else {
    if (state.historyIndex === undefined) return state;
    index = state.historyIndex + 1 >= history.length ? undefined : state.historyIndex + 1;
  }
  const draft = index === undefined ? draftBeforeHistory : history[index] ?? '';
  return { ...state, historyIndex: index, draftBeforeHistory, draft, tooLong: undefined };
}

/** Prompts sent in this conversation, oldest first, without consecutive repeats. */
export function promptHistory(messages: readonly TranscriptMessage[]): string[] {
  const prompts: string[] = [];
  for (const message of messages) {
    if (message.role === 'user' && message.text !== prompts.at(-1)) prompts.push(message.text);
  }
  return prompts;
}

/** Whether the composer should remind the user to set up a provider. */
export function needsSetup(state: ChatState): boolean {
  return state.choiceKnown && (!state.choice || !state.choice.hasKey);
}

// ---------- helpers ----------

function newStream(state: ChatState, requestId: string, message: TranscriptMessage): StreamState {
  return {
    requestId, messageId: message.id, text: message.text, reasoning: message.reasoning ?? '', status: '', serial: state.streamsStarted + 1,
  };
}

function noticeWithout(state: ChatState, requestId: string): ChatState['requestNotice'] {
  return state.requestNotice?.requestId === requestId ? undefined : state.requestNotice;
}

function sameConversation(state: ChatState, conversationId: string): boolean {
  return state.conversationId === '' || state.conversationId === conversationId;
}

function indexOfId(messages: readonly TranscriptMessage[], id: string): number {
  // The message looked for is nearly always one of the last, so search from the end.
  for (let index = messages.length - 1; index >= 0; index--) if (messages[index]?.id === id) return index;
  return -1;
}

function withAt(messages: readonly TranscriptMessage[], index: number, message: TranscriptMessage): TranscriptMessage[] {
  const copy = [...messages];
  copy[index] = message;
  return copy;
}

/** `messages` with the message of that id replaced, or `messages` itself when there is none. */
function replaceById(messages: readonly TranscriptMessage[], id: string, message: TranscriptMessage): readonly TranscriptMessage[] {
  const index = indexOfId(messages, id);
  return index < 0 ? messages : withAt(messages, index, message);
}
