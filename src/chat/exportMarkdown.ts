// Turns a conversation into a Markdown document for export. Only what the user saw: no keys
// (there are none in a conversation), and every line still passes through `redact`.

import { visibleMessages, type Conversation } from './conversation';
import { redact } from '../providers/errors';

export function conversationToMarkdown(conversation: Conversation): string {
  const lines = [`# ${conversation.title}`, '', `_Exported from BYOK AI on ${new Date().toISOString()}_`, ''];
  for (const message of visibleMessages(conversation)) {
    if (message.role === 'user') {
      lines.push('## You', '', message.text, '');
      continue;
    }
    const meta = message.meta;
    lines.push(`## ${meta ? `${meta.providerLabel} · ${meta.model}` : 'Assistant'}`, '');
    if (message.text) lines.push(message.text, '');
    if (message.stopped) lines.push('_(stopped)_', '');
    if (message.error) lines.push(`> **Error (${message.error.kind}):** ${message.error.message}`, '');
  }
  return redact(lines.join('\n'));
}
