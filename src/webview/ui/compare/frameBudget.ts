// One animation-frame scheduler shared by every pane: each pane's StreamingMarkdown renders at most
// once per frame anyway, but four panes rendering in the same frame add up to one long task. Here a
// frame runs queued renders only until its budget is spent; the rest wait for the next frame (in
// order, so no pane starves).

export interface FrameBudgetOptions {
  budgetMs?: number;
  requestFrame?: (callback: () => void) => void;
  now?: () => number;
}

export function frameBudgetScheduler(options: FrameBudgetOptions = {}): (callback: () => void) => void {
  const budgetMs = options.budgetMs ?? 12;
  const requestFrame = options.requestFrame ?? (callback => { requestAnimationFrame(() => callback()); });
  const now = options.now ?? (() => performance.now());
  const queue: (() => void)[] = [];
  let requested = false;
  const runFrame = (): void => {
    requested = false;
    const started = now();
    // At least one render per frame, so progress never stops however slow a render is.
    do {
      const callback = queue.shift();
      if (!callback) break;
      try { callback(); } catch (error) { console.error(error); }
    } while (queue.length > 0 && now() - started < budgetMs);
    if (queue.length > 0) request();
  };
  const request = (): void => {
    if (requested) return;
    requested = true;
    requestFrame(runFrame);
  };
  return callback => {
    queue.push(callback);
    request();
  };
}
