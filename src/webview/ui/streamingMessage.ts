// Incremental rendering of a message that is still streaming.
//
// Re-rendering the whole answer on every delta is quadratic: a 20,000-token answer would be parsed
// and highlighted thousands of times. Instead deltas are buffered and rendered at most once per
// animation frame, and the text is split at the last completed top-level block (a blank line
// outside a fenced code block, followed by a line that cannot continue the block before it).
// Everything before that split is rendered once and never touched again; only the open tail is
// re-rendered each frame. The split is conservative: where a later line could change how an
// earlier block renders (reference definitions, raw HTML) it stops freezing, so the DOM always
// ends up equal to a one-shot render of the whole text.
//
// Nothing here throws: when a part of the answer cannot be rendered, the whole answer is shown as
// plain text with a note (and stays so until the final text replaces it), so the caller's busy state
// always ends and the rest of the conversation renders.
import { plainTextFallback, renderMarkdownOrThrow, reportRenderFailure } from './markdown';

export interface StreamingOptions {
  /** Markdown → safe nodes; may throw. Defaults to `renderMarkdownOrThrow`. */
  render?: (markdown: string) => DocumentFragment;
  /** Runs the callback before the next paint. Defaults to `requestAnimationFrame`. */
  schedule?: (callback: () => void) => void;
  /** Called after each render, e.g. to keep the transcript scrolled to the bottom. */
  onRender?: () => void;
}

interface Fence {
  marker: '`' | '~';
  length: number;
  indent: number;
}

const lineEnd = /\r\n|\r|\n/g;
const fenceLine = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const blankLine = /^[ \t\r]*$/;
const leadingSpaces = /^ */;
// A line that may continue the block above it even after a blank line: indented (list item
// content, indented code), a list item (a loose list), or a block quote.
const mayContinue = /^(?:[ \t]|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>)/;
const referenceDefinition = /^[ \t>]*\[(?:[^\]\\]|\\.)+\]:/;
// Raw HTML outside code spans: an opening/closing tag, a comment, a declaration or an instruction.
const rawHtml = /<(?:[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|\/[A-Za-z]|[!?])/;
const codeSpan = /(`+)[^`]*?\1/g;

/** Finds safe split points in a growing markdown text, one complete line at a time. */
export class BlockScanner {
  /** Start of the first line not scanned yet. */
  position = 0;
  /** End of the last complete block that later text cannot change (0 = none). */
  boundary = 0;
  /** Set once the text holds something that may change how later blocks split; the boundary no longer moves. */
  stopped = false;
  /** Set when a reference definition is seen: blocks rendered before it may have to change. */
  sawDefinition = false;
  private fence: Fence | undefined;
  private pendingBoundary: number | undefined;

  /** Scans every complete line of `text` from `position` on. */
  scan(text: string): void {
    for (;;) {
      // marked ends a line at \r\n, \r or \n alike; a final \r may still become \r\n.
      lineEnd.lastIndex = this.position;
      const end = lineEnd.exec(text);
      if (!end || (end[0] === '\r' && end.index === text.length - 1)) return;
      const next = end.index + end[0].length;
      this.line(text.slice(this.position, end.index), next);
      this.position = next;
    }
  }

  private line(line: string, next: number): void {
    if (this.fence) {
      const match = fenceLine.exec(line);
      const run = match?.[2];
      if (run && run[0] === this.fence.marker && run.length >= this.fence.length && blankLine.test(match?.[3] ?? '')) {
        this.fence = undefined;
      } else if (this.fence.indent > 0 && !blankLine.test(line) && (leadingSpaces.exec(line)?.[0].length ?? 0) < this.fence.indent) {
        // An indented fence is likely inside a list item, which a less indented line would end
        // (closing the code block), or it is a top-level fence whose content may be less indented.
        // Either may be true, so stop freezing rather than guess.
        this.stopped = true;
      }
      return;
    }
    if (blankLine.test(line)) {
      this.pendingBoundary = next;
      return;
    }
    if (this.pendingBoundary !== undefined && !mayContinue.test(line) && !this.stopped) this.boundary = this.pendingBoundary;
    this.pendingBoundary = undefined;
    const open = fenceLine.exec(line);
    const run = open?.[2];
    if (run && !(run[0] === '`' && (open?.[3] ?? '').includes('`'))) {
      this.fence = { marker: run[0] === '`' ? '`' : '~', length: run.length, indent: open?.[1]?.length ?? 0 };
      return;
    }
    if (referenceDefinition.test(line)) {
      this.sawDefinition = true;
      this.stopped = true;
    } else if (rawHtml.test(line.replace(codeSpan, ''))) {
      this.stopped = true;
    }
  }
}

/** Renders one growing markdown text into `container`, freezing completed blocks. */
export class StreamingMarkdown {
  private text = '';
  private frozenLength = 0;
  private frozenNodes = 0;
  private scanner = new BlockScanner();
  private scheduled = false;
  private finished = false;
  /** Set once a render failed: the answer is shown as plain text from then on. */
  private plain = false;
  private readonly render: (markdown: string) => DocumentFragment;
  private readonly schedule: (callback: () => void) => void;
  private readonly onRender: (() => void) | undefined;

  constructor(private readonly container: HTMLElement, options: StreamingOptions = {}, initialText = '') {
    this.render = options.render ?? renderMarkdownOrThrow;
    this.schedule = options.schedule ?? (callback => { requestAnimationFrame(callback); });
    this.onRender = options.onRender;
    container.replaceChildren();
    if (initialText) {
      this.text = initialText;
      this.flush();
    }
  }

  get value(): string {
    return this.text;
  }

  append(delta: string): void {
    if (this.finished || delta === '') return;
    this.text += delta;
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      if (!this.scheduled) return;
      this.flush();
    });
  }

  /** Renders the pending text now. */
  flush(): void {
    this.scheduled = false;
    if (this.plain) {
      this.showPlain();
    } else {
      try {
        this.renderBlocks();
      } catch (error) {
        reportRenderFailure(error);
        this.plain = true;
        this.showPlain();
      }
    }
    try {
      this.onRender?.();
    } catch (error) {
      // The caller's own bug; it must not stop the stream from ending.
      console.error(error);
    }
  }

  /**
   * Ends the stream. With `finalText` different from what was streamed (the host's final message
   * is the truth), or after a failed render, the whole text is rendered again, so the answer looks
   * the same as when it is restored from history.
   */
  finish(finalText?: string): void {
    if ((finalText !== undefined && finalText !== this.text) || this.plain) {
      this.text = finalText ?? this.text;
      this.frozenLength = 0;
      this.frozenNodes = 0;
      this.plain = false;
      this.scanner = new BlockScanner();
      this.container.replaceChildren();
    }
    // The last line has no newline but is complete now; it may be a reference definition.
    this.scanner.scan(`${this.text}\n`);
    this.flush();
    this.finished = true;
  }

  private renderBlocks(): void {
    this.scanner.scan(this.text);
    if (this.scanner.sawDefinition && this.frozenLength > 0) {
      // A reference definition can turn literal `[text][ref]` in earlier blocks into links.
      this.removeTail(0);
      this.frozenLength = 0;
      this.frozenNodes = 0;
    }
    const boundary = this.scanner.sawDefinition ? 0 : this.scanner.boundary;
    if (boundary > this.frozenLength) {
      const frozen = this.render(this.text.slice(this.frozenLength, boundary));
      this.removeTail(this.frozenNodes);
      this.container.append(frozen);
      this.frozenLength = boundary;
      this.frozenNodes = this.container.childNodes.length;
    }
    const tail = this.text.slice(this.frozenLength);
    const rendered = tail ? this.render(tail) : undefined;
    this.removeTail(this.frozenNodes);
    if (rendered) this.container.append(rendered);
  }

  private showPlain(): void {
    this.container.replaceChildren(plainTextFallback(this.text, this.container.ownerDocument));
  }

  private removeTail(keep: number): void {
    const nodes = this.container.childNodes;
    while (nodes.length > keep) nodes[nodes.length - 1]?.remove();
  }
}

/** Keeps a scrolling element pinned to the bottom while the user has not scrolled up. */
export class ScrollPin {
  private pinned = true;

  constructor(private readonly scroller: HTMLElement, private readonly slack = 24) {
    scroller.addEventListener('scroll', () => { this.pinned = this.atBottom(); }, { passive: true });
  }

  get isPinned(): boolean {
    return this.pinned;
  }

  /** Call after content changed. */
  update(): void {
    if (this.pinned) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** Scrolls to the bottom and pins again (e.g. after the user sends a message). */
  pin(): void {
    this.pinned = true;
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private atBottom(): boolean {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight <= this.slack;
  }
}
