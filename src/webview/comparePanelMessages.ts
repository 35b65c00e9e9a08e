// What the comparison webview may send, validated at the host boundary; anything else is dropped.
// Code and link clicks reuse the chat's own checks. No `vscode` import, so it is tested in plain Node.

import { maximumPanes } from '../compare/fanOut';
import { parseWebviewMessage, type CompareWebviewToHost } from './protocol';

const isPane = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < maximumPanes;
const hasOnly = (message: Record<string, unknown>, keys: string[]): boolean => Object.keys(message).every(key => key === 'type' || keys.includes(key));

export function parseCompareMessage(raw: unknown): CompareWebviewToHost | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return message.view === 'compare' && hasOnly(message, ['view']) ? { type: 'ready', view: 'compare' } : undefined;
    case 'compare/stop':
      if (!hasOnly(message, ['pane'])) return undefined;
      if (message.pane === undefined) return { type: 'compare/stop' };
      return isPane(message.pane) ? { type: 'compare/stop', pane: message.pane } : undefined;
    case 'compare/continue':
      return hasOnly(message, ['pane']) && isPane(message.pane) ? { type: 'compare/continue', pane: message.pane } : undefined;
    case 'compare/diff':
      return hasOnly(message, ['left', 'right']) && isPane(message.left) && isPane(message.right) && message.left !== message.right
        ? { type: 'compare/diff', left: message.left, right: message.right } : undefined;
    case 'compare/export':
      return hasOnly(message, []) ? { type: 'compare/export' } : undefined;
    case 'code/action':
    case 'link/open':
    case 'error/action': {
      const parsed = parseWebviewMessage(raw);
      return parsed.ok && (parsed.message.type === 'code/action' || parsed.message.type === 'link/open' || parsed.message.type === 'error/action') ? parsed.message : undefined;
    }
    default:
      return undefined;
  }
}
