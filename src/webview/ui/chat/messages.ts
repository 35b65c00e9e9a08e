// Every message the chat view posts to the host, built by pure functions so a unit test can run
// each one through the host's validator (`parseWebviewMessage`).
import type { ErrorAction, ModelChoice, WebviewToHost } from '../../protocol';

export const chatMessages = {
  ready: (): WebviewToHost => ({ type: 'ready', view: 'chat' }),
  send: (requestId: string, text: string): WebviewToHost => ({ type: 'chat/send', requestId, text }),
  cancel: (requestId: string): WebviewToHost => ({ type: 'chat/cancel', requestId }),
  retry: (requestId: string): WebviewToHost => ({ type: 'chat/retry', requestId }),
  newChat: (): WebviewToHost => ({ type: 'chat/new' }),
  history: (): WebviewToHost => ({ type: 'chat/history' }),
  open: (conversationId: string): WebviewToHost => ({ type: 'chat/open', conversationId }),
  rename: (conversationId: string): WebviewToHost => ({ type: 'chat/rename', conversationId }),
  remove: (conversationId: string): WebviewToHost => ({ type: 'chat/delete', conversationId }),
  exportChat: (conversationId: string): WebviewToHost => ({ type: 'chat/export', conversationId }),
  attach: (kind: 'selection' | 'file'): WebviewToHost => ({ type: 'context/attach', kind }),
  detach: (attachmentId: string): WebviewToHost => ({ type: 'context/remove', attachmentId }),
  pickModel: (): WebviewToHost => ({ type: 'model/pick' }),
  sendPreset: (requestId: string, name: string, args: string): WebviewToHost => ({ type: 'chat/send-preset', requestId, name, arguments: args }),
  requestPresets: (): WebviewToHost => ({ type: 'presets/request' }),
  savePreset: (text: string): WebviewToHost => ({ type: 'presets/save', text }),
  /** `requestId` is left out when unknown: a structured clone must not carry an undefined field. */
  errorAction: (action: ErrorAction, providerId: string, requestId?: string): WebviewToHost =>
    (requestId ? { type: 'error/action', action, providerId, requestId } : { type: 'error/action', action, providerId }),
};

/** What the setup button posts when no provider is usable yet. */
export function setupMessage(choice: ModelChoice | undefined): WebviewToHost {
  return chatMessages.errorAction('setKey', choice?.providerId || 'openai');
}
