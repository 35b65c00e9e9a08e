// Typed access to the webview API. `acquireVsCodeApi` may be called only once per page, so every
// view goes through this module.
// @see https://code.visualstudio.com/api/extension-guides/webview#scripts-and-message-passing
import type { HostToWebview, WebviewToHost } from '../protocol';

/** What survives the view being hidden: UI state only (draft text, scroll). Never keys. */
export interface ViewState {
  draft?: string;
  scrollTop?: number;
  historyOpen?: boolean;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

function vscode(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** Whether the page runs inside a VS Code webview (false in unit tests). */
export function isWebview(): boolean {
  return typeof acquireVsCodeApi === 'function';
}

export function post(message: WebviewToHost): void {
  vscode().postMessage(message);
}

/**
 * Whether a window `message` event comes from the extension host. VS Code's webview host page (the
 * parent frame, same origin as this content frame) forwards each host message with
 * `postMessage(message, window.origin)`, so its origin is ours; its `source` cannot be checked,
 * because VS Code's preamble replaces `window.parent` with the content window itself. Anything else
 * (another webview or page that got hold of this frame) has another origin and is dropped.
 * @see https://github.com/microsoft/vscode/blob/main/src/vs/workbench/contrib/webview/browser/pre/index.html
 */
export function isFromHost(event: MessageEvent<unknown>, origin: string = window.origin): boolean {
  return event.origin === origin;
}

/** Calls `handler` for every message the host posts. The host is trusted; the shape is still checked loosely. */
export function onMessage(handler: (message: HostToWebview) => void): () => void {
  const listener = (event: MessageEvent<unknown>): void => {
    if (!isFromHost(event)) return;
    const data = event.data;
    if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') {
      handler(data as HostToWebview);
    }
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

export function getState(): ViewState {
  const state = vscode().getState();
  if (typeof state !== 'object' || state === null) return {};
  const record = state as Record<string, unknown>;
  const result: ViewState = {};
  if (typeof record['draft'] === 'string') result.draft = record['draft'];
  if (typeof record['scrollTop'] === 'number') result.scrollTop = record['scrollTop'];
  if (typeof record['historyOpen'] === 'boolean') result.historyOpen = record['historyOpen'];
  return result;
}

/** Merges `patch` into the saved view state. */
export function setState(patch: ViewState): void {
  vscode().setState({ ...getState(), ...patch });
}
