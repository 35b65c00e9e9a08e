// The status bar item itself, created at activation with a placeholder so it has its place from the
// start. What it shows (provider, model, key state, spend) is drawn by statusBar.ts once the
// services have loaded and the keys have been read, right after activation.

import { StatusBarAlignment, window, type StatusBarItem } from 'vscode';

export const statusItemId = 'byok.status';

export function createStatusItem(): StatusBarItem {
  const item = window.createStatusBarItem(statusItemId, StatusBarAlignment.Right, 100);
  item.name = 'BYOK AI';
  item.command = 'byok.switchProvider';
  item.text = '$(key) BYOK AI';
  item.tooltip = 'BYOK AI: reading keys…';
  item.show();
  return item;
}
