// Markdown → safe DOM nodes for model output. marked alone does not sanitize (measured: raw HTML and
// `javascript:` links pass through), so its HTML goes through the sanitizer (DOMPurify with a small
// allowlist, see ./sanitizer.ts) and comes back as an inert fragment; one pass over that fragment:
//   - turns every http(s) link into an anchor with `data-href` and no `href` (the host opens it after
//     validating and asking), and every other link (mailto:, vscode:, command:, file:, relative,
//     #anchor, javascript:, data:) into plain text, so no link is clickable that the host would refuse;
//   - turns every image into an inert "image link", so no URL is ever fetched by the webview;
//   - wraps code blocks with a toolbar and highlights them (./highlight.ts, also as nodes).
// Nothing here throws on any input: an answer that cannot be rendered is shown as plain text with a note.
// @see https://github.com/cure53/DOMPurify#can-i-configure-dompurify
import { Marked, type Tokens } from 'marked';
import type { WebviewToHost } from '../protocol';
import { fillHighlighted } from './highlight';
import { sanitizer } from './sanitizer';

export type CodeAction = 'copy' | 'insert' | 'apply' | 'open';

const codeActions: { action: CodeAction; icon: string; label: string }[] = [
  { action: 'copy', icon: 'copy', label: 'Copy code' },
  { action: 'insert', icon: 'insert', label: 'Insert at cursor' },
  { action: 'apply', icon: 'diff', label: 'Apply to the active editor' },
  { action: 'open', icon: 'new-file', label: 'Open in a new editor' },
];

const maxLanguageLength = 64;
const maxHrefLength = 4096;

export const plainTextNote = 'Shown as plain text: this answer could not be rendered';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, character => escapes[character] ?? character);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // The default renderer appends a newline to the code; keep the code exactly as written so the
    // toolbar buttons send what the model wrote.
    code({ text, lang }: Tokens.Code): string {
      const language = (lang ?? '').match(/^\S*/)?.[0] ?? '';
      const attribute = language ? ` class="language-${escapeHtml(language)}"` : '';
      return `<pre><code${attribute}>${escapeHtml(text.replace(/\n$/, ''))}</code></pre>\n`;
    },
    // Task list checkboxes become text: no <input> is allowed through the sanitizer.
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked ? '☑ ' : '☐ ';
    },
  },
});

/**
 * The URL a rendered link may open, or undefined when it must stay plain text. Only what the host
 * opens (src/webview/hostActions.ts: http and https without credentials) becomes a link.
 */
export function safeHref(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url.href.length <= maxHrefLength ? url.href : undefined;
}

function makeLink(element: Element, target: string, title: string): void {
  element.setAttribute('data-href', target);
  element.setAttribute('role', 'link');
  element.setAttribute('tabindex', '0');
  element.setAttribute('title', title);
}

function neutralizeLink(anchor: HTMLAnchorElement): void {
  const href = anchor.getAttribute('href');
  anchor.removeAttribute('href');
  const target = href === null ? undefined : safeHref(href);
  if (!target) {
    anchor.replaceWith(...Array.from(anchor.childNodes));
    return;
  }
  makeLink(anchor, target, anchor.getAttribute('title') || target);
}

function replaceImage(image: HTMLImageElement): void {
  const document = image.ownerDocument;
  const source = safeHref(image.getAttribute('src') ?? '');
  const alt = (image.getAttribute('alt') ?? '').trim() || 'image';
  // Inside a link the image becomes that link's text; nested anchors are not valid HTML.
  const clickable = source !== undefined && image.parentElement?.closest('a') === null;
  const element = document.createElement(clickable ? 'a' : 'span');
  element.className = 'image-link';
  const icon = document.createElement('span');
  icon.className = 'codicon codicon-file-media';
  icon.setAttribute('aria-hidden', 'true');
  element.append(icon, ` ${alt}`);
  if (clickable && source) makeLink(element, source, `Image not loaded. Open ${source}`);
  else element.setAttribute('title', 'Image not loaded');
  image.replaceWith(element);
}

function decorateCodeBlock(pre: HTMLPreElement): void {
  const document = pre.ownerDocument;
  const source = pre.querySelector(':scope > code') ?? pre;
  const code = source.textContent ?? '';
  const language = (source.getAttribute('class') ?? '').match(/(?:^|\s)language-(\S+)/)?.[1]?.slice(0, maxLanguageLength) ?? '';

  const block = document.createElement('div');
  block.className = 'code-block';
  block.setAttribute('data-language', language);

  const toolbar = document.createElement('div');
  toolbar.className = 'code-toolbar';
  const label = document.createElement('span');
  label.className = 'code-language';
  label.textContent = language || 'text';
  toolbar.append(label);
  for (const { action, icon, label: text } of codeActions) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'code-action';
    button.setAttribute('data-action', action);
    button.setAttribute('aria-label', text);
    button.setAttribute('title', text);
    const glyph = document.createElement('span');
    glyph.className = `codicon codicon-${icon}`;
    glyph.setAttribute('aria-hidden', 'true');
    button.append(glyph);
    toolbar.append(button);
  }

  const newPre = document.createElement('pre');
  const codeElement = document.createElement('code');
  codeElement.className = language ? `hljs language-${language}` : 'hljs';
  fillHighlighted(codeElement, code, language);
  newPre.append(codeElement);
  block.append(toolbar, newPre);
  pre.replaceWith(block);
}

/** Renders untrusted markdown to inert nodes; throws when it cannot (see renderMarkdownFragment). */
export function renderMarkdownOrThrow(text: string): DocumentFragment {
  const html = marked.parse(text, { async: false });
  const fragment = sanitizer().markdown(html);
  const document = fragment.ownerDocument;
  const root = document.createElement('div');
  root.append(fragment);
  // getElementsByTagName, not querySelectorAll: no selector to parse, which is most of the cost in jsdom.
  for (const anchor of Array.from(root.getElementsByTagName('a'))) neutralizeLink(anchor);
  for (const image of Array.from(root.getElementsByTagName('img'))) replaceImage(image);
  // Document order: an outer <pre> is replaced first, which detaches any <pre> nested in it.
  for (const pre of Array.from(root.getElementsByTagName('pre'))) if (root.contains(pre)) decorateCodeBlock(pre);
  const result = document.createDocumentFragment();
  result.append(...Array.from(root.childNodes));
  return result;
}

/** `text` as escaped plain text (text nodes and line breaks), after a note saying why. */
export function plainTextFallback(text: string, document: Document = window.document): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const note = document.createElement('p');
  note.className = 'render-note';
  const icon = document.createElement('span');
  icon.className = 'codicon codicon-info';
  icon.setAttribute('aria-hidden', 'true');
  note.append(icon, ` ${plainTextNote}`);
  const body = document.createElement('div');
  body.className = 'plain-text-answer';
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (index > 0) body.append(document.createElement('br'));
    if (line) body.append(line);
  });
  fragment.append(note, body);
  return fragment;
}

export function reportRenderFailure(error: unknown): void {
  console.error('BYOK AI: an answer is shown as plain text because it could not be rendered.', error);
}

/**
 * Renders untrusted markdown (model output) to nodes to insert into the page, e.g.
 * `element.replaceChildren(renderMarkdownFragment(text))`. Never throws: what cannot be rendered is
 * returned as plain text with a note.
 */
export function renderMarkdownFragment(text: string): DocumentFragment {
  try {
    return renderMarkdownOrThrow(text);
  } catch (error) {
    reportRenderFailure(error);
    return plainTextFallback(text);
  }
}

/**
 * The HTML of `renderMarkdownFragment(text)`, for tests and comparisons. Never assign it to innerHTML:
 * the webview enforces Trusted Types, and a re-parse is exactly the round trip the sanitizer avoids.
 */
export function renderMarkdown(text: string): string {
  const container = window.document.createElement('div');
  container.append(renderMarkdownFragment(text));
  return container.innerHTML;
}

export function isCodeAction(value: string | null): value is CodeAction {
  return value === 'copy' || value === 'insert' || value === 'apply' || value === 'open';
}

export function codeActionMessage(action: CodeAction, code: string, language: string): WebviewToHost {
  return { type: 'code/action', action, code, language: language.slice(0, maxLanguageLength) };
}

/** The message for a click on a code toolbar button: the raw code text, not its HTML. */
export function codeActionForButton(button: Element): WebviewToHost | undefined {
  const action = button.getAttribute('data-action');
  const block = button.closest('.code-block');
  const code = block?.querySelector(':scope > pre > code');
  if (!isCodeAction(action) || !block || !code) return undefined;
  return codeActionMessage(action, code.textContent ?? '', block.getAttribute('data-language') ?? '');
}

/** The message for activating a rendered link, or undefined when it is not one the host opens. */
export function linkMessage(href: string): WebviewToHost | undefined {
  const target = safeHref(href);
  return target ? { type: 'link/open', href: target } : undefined;
}
