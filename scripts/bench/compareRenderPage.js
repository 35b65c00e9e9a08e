// Injected before the comparison webview's own script (Playwright addInitScript). It stands in for
// VS Code's webview host like renderPage.js does for the chat, and measures long tasks, time in
// `message` listeners and animation frames, and CSP violations while four panes stream.
(() => {
  const bench = { ready: false, posted: [], longTasks: [], cspViolations: [], errors: [], handlerMs: 0, frameMs: 0, maxHandlerMs: 0, maxFrameMs: 0, ends: 0 };
  window.__compareBench = bench;
  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      bench.posted.push(message);
      if (message && message.type === 'ready') bench.ready = true;
    },
    getState: () => undefined,
    setState() {},
  });
  const rawRequestAnimationFrame = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = callback => rawRequestAnimationFrame(time => {
    const started = performance.now();
    try { callback(time); } finally {
      const spent = performance.now() - started;
      bench.frameMs += spent;
      if (spent > bench.maxFrameMs) bench.maxFrameMs = spent;
    }
  });
  const rawAddEventListener = window.addEventListener;
  window.addEventListener = function addEventListener(type, listener, options) {
    if (type !== 'message' || typeof listener !== 'function') return rawAddEventListener.call(this, type, listener, options);
    return rawAddEventListener.call(this, type, function (event) {
      const started = performance.now();
      try { return listener.call(this, event); } finally {
        const spent = performance.now() - started;
        bench.handlerMs += spent;
        if (spent > bench.maxHandlerMs) bench.maxHandlerMs = spent;
        if (event.data && event.data.type === 'compare/end') bench.ends++;
      }
    }, options);
  };
  try {
    new PerformanceObserver(list => { for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.errors.push(`longtask observer: ${error}`);
  }
  document.addEventListener('securitypolicyviolation', event => bench.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
  window.addEventListener('error', event => bench.errors.push(String(event.message)));
  const host = message => window.postMessage(message, '*');
  const nextFrame = () => new Promise(resolve => rawRequestAnimationFrame(() => resolve()));

  /**
   * Streams `answers[i].deltas` into pane i, every pane at `tokensPerSecond`, in parallel. Deltas are
   * batched every `flushMs` per pane, as the host (src/webview/comparePanel.ts) coalesces them.
   */
  bench.play = async ({ answers, tokensPerSecond, flushMs }) => {
    const panes = answers.map((_, index) => ({ providerId: `p${index}`, providerLabel: `Provider ${index + 1}`, model: `model-${index + 1}` }));
    host({ type: 'compare/start', comparisonId: 'bench', prompt: 'Write a long, detailed guide with code examples.', attachments: [], panes });
    for (let index = 0; index < 10; index++) await nextFrame();
    const before = { handlerMs: bench.handlerMs, frameMs: bench.frameMs, longTasks: bench.longTasks.length };
    const start = performance.now();
    const sent = answers.map(() => 0);
    const total = Math.max(...answers.map(answer => answer.deltas.length));
    answers.forEach((_, pane) => host({ type: 'compare/first-token', pane, latencyMs: 300 + pane * 100 }));
    await new Promise(resolve => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * tokensPerSecond) + 1);
        answers.forEach((answer, pane) => {
          const until = Math.min(due, answer.deltas.length);
          if (until > sent[pane]) {
            host({ type: 'compare/delta', pane, text: answer.deltas.slice(sent[pane], until).join('') });
            sent[pane] = until;
          }
        });
        if (sent.some((count, pane) => count < answers[pane].deltas.length)) setTimeout(tick, flushMs);
        else resolve();
      };
      tick();
    });
    const lastDeltaAt = performance.now();
    answers.forEach((answer, pane) => host({
      type: 'compare/end', pane, outcome: 'ok', text: answer.text,
      metrics: { timeToFirstTokenMs: 300, totalMs: lastDeltaAt - start, tokensPerSecond, inputTokens: 20, cachedInputTokens: 0, outputTokens: answer.deltas.length, costUsd: 0.0042 },
    }));
    while (bench.ends < answers.length) await new Promise(resolve => setTimeout(resolve, 1));
    await nextFrame();
    const finalPaintAt = await new Promise(resolve => rawRequestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
    return {
      start, lastDeltaAt, finalPaintAt,
      handlerMs: bench.handlerMs - before.handlerMs,
      frameMs: bench.frameMs - before.frameMs,
      maxHandlerMs: bench.maxHandlerMs,
      maxFrameMs: bench.maxFrameMs,
      longTasks: bench.longTasks.slice(before.longTasks).filter(task => task.start >= start - 1),
      renderedPanes: document.querySelectorAll('.pane .pane-body').length,
      codeBlocks: document.querySelectorAll('.pane .pane-body pre').length,
      figures: [...document.querySelectorAll('.pane .pane-figures')].map(element => element.textContent),
      domNodes: document.getElementsByTagName('*').length,
      cspViolations: bench.cspViolations,
      errors: bench.errors,
    };
  };
})();
