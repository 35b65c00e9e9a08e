// Turns a model's answer into replacement code: takes the code out of fences and chatter, and
// fits it to the selection's indentation and line endings. Pure, unit-tested.

const fencePattern = /^([ \t]*)(`{3,}|~{3,})[^\n`]*\n([\s\S]*?)\n?^\1?\2[ \t]*$/gm;

/** The code in an answer: the longest fenced block, or the whole answer minus chatter lines. */
export function extractCode(answer: string): string {
  const text = answer.replace(/\r\n/g, '\n');
  const blocks = [...text.matchAll(fencePattern)].map(match => match[3] ?? '');
  if (blocks.length) return blocks.reduce((longest, block) => block.length > longest.length ? block : longest, '');
  // An unterminated fence (the answer was cut off): keep what follows the opening line.
  const open = /^[ \t]*(`{3,}|~{3,})[^\n]*\n([\s\S]*)$/m.exec(text);
  if (open) return (open[2] ?? '').replace(/\n?[ \t]*(`{3,}|~{3,})[ \t]*$/, '');
  const lines = text.split('\n');
  const chatter = /^(here('s| is)|sure[,!.]|certainly|below is|this (code|version)|the (refactored|updated|rewritten) code)/i;
  while (lines.length && (chatter.test(lines[0]!.trim()) || !lines[0]!.trim())) lines.shift();
  while (lines.length && !lines[lines.length - 1]!.trim()) lines.pop();
  return lines.join('\n');
}

function indentationOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** The indentation shared by every non-empty line. */
export function commonIndentation(text: string): string {
  const indents = text.split('\n').filter(line => line.trim()).map(indentationOf);
  if (!indents.length) return '';
  return indents.reduce((common, indent) => {
    let length = 0;
    while (length < common.length && length < indent.length && common[length] === indent[length]) length++;
    return common.slice(0, length);
  });
}

export interface FitOptions {
  /** The selected text, exactly as in the document. */
  original: string;
  /** Whitespace before the selection on its first line, when the selection starts after it. */
  leadingIndent: string;
  eol: '\n' | '\r\n';
}

/** Re-indents code to the selection's base indentation and matches its line endings and final newline. */
export function fitToSelection(code: string, options: FitOptions): string {
  const original = options.original.replace(/\r\n/g, '\n');
  const startsMidLine = options.leadingIndent.length > 0;
  const baseIndent = startsMidLine ? options.leadingIndent : commonIndentation(original);
  const normalized = code.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const ownIndent = commonIndentation(normalized);
  const lines = normalized.split('\n').map((line, index) => {
    if (!line.trim()) return '';
    const stripped = line.startsWith(ownIndent) ? line.slice(ownIndent.length) : line.trimStart();
    return index === 0 && startsMidLine ? stripped : baseIndent + stripped;
  });
  let result = lines.join('\n');
  if (original.endsWith('\n')) result += '\n';
  return options.eol === '\r\n' ? result.replace(/\n/g, '\r\n') : result;
}
