// The chat view's entry point (bundled to dist/webview/chat.js). The view itself lives in ./chat/:
// a pure reducer over host events (state.ts) and one component per part of the page (header,
// history, transcript with its messages, meta line and error box, composer), each with its own
// stylesheet that chat.css imports.
import { ChatView } from './chat/chatView';
import { chatMessages } from './chat/messages';
import { getState, isWebview, onMessage, post, setState } from './vscodeApi';

export { chatMessages, setupMessage } from './chat/messages';
export { errorActionMessage, errorActions, offeredActions } from './chat/errorBox';
export { formatChoice, formatCost, formatMeta, metaParts } from './chat/metaLine';
export { maxPromptLength } from './chat/state';

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.classList.add('chat-view');
  const view = new ChatView(root, { post, getState, setState });
  onMessage(message => view.handle(message));
  post(chatMessages.ready());
}

if (isWebview()) start();
