// Injected before the chat webview's own script (Playwright addInitScript, which the page's CSP does
// not apply to). It stands in for VS Code's webview host: `acquireVsCodeApi`, and host messages
// delivered as window `message` events, as the real webview host delivers them. It also measures:
// time spent in `message` listeners and animation-frame callbacks, long tasks, CSP violations.
(() => {
  const bench = {
    ready: false,
    posted: [],
    state: undefined,
    handlerMs: 0,
    handlerCount: 0,
    maxHandlerMs: 0,
    frameMs: 0,
    frameCount: 0,
    maxFrameMs: 0,
    /** Cumulative own time (listeners + frames) each time another 1/10 of the deltas was handled. */
    windows: [],
    longTasks: [],
    cspViolations: [],
    errors: [],
    deltasHandled: 0,
    endHandledAt: undefined,
  };
  window.__bench = bench;

  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      bench.posted.push(message);
      if (message && message.type === 'ready') bench.ready = true;
    },
    getState: () => bench.state,
    setState(state) { bench.state = state; },
  });

  const rawRequestAnimationFrame = window.requestAnimationFrame.bind(window);
  bench.rawRequestAnimationFrame = rawRequestAnimationFrame;
  window.requestAnimationFrame = callback => rawRequestAnimationFrame(time => {
    const started = performance.now();
    try {
      callback(time);
    } finally {
      const spent = performance.now() - started;
      bench.frameMs += spent;
      bench.frameCount++;
      if (spent > bench.maxFrameMs) bench.maxFrameMs = spent;
    }
  });

  const rawAddEventListener = window.addEventListener;
  window.addEventListener = function addEventListener(type, listener, options) {
    if (type !== 'message' || typeof listener !== 'function') return rawAddEventListener.call(this, type, listener, options);
    const timed = function (event) {
      const started = performance.now();
      try {
        return listener.call(this, event);
      } finally {
        const spent = performance.now() - started;
        bench.handlerMs += spent;
        bench.handlerCount++;
        if (spent > bench.maxHandlerMs) bench.maxHandlerMs = spent;
        const type = event.data && event.data.type;
        if (type === 'chat/delta') {
          bench.deltasHandled++;
          if (bench.windowSize && bench.deltasHandled % bench.windowSize === 0) bench.windows.push(bench.handlerMs + bench.frameMs);
        } else if (type === 'chat/end') {
          bench.endHandledAt = performance.now();
        }
      }
    };
    return rawAddEventListener.call(this, type, timed, options);
  };

  try {
    new PerformanceObserver(list => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.errors.push(`longtask observer: ${error}`);
  }
  document.addEventListener('securitypolicyviolation', event => bench.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
  window.addEventListener('error', event => bench.errors.push(String(event.message)));

  const nextFrame = () => new Promise(resolve => rawRequestAnimationFrame(() => resolve()));
  /** Resolves after the next paint: a task queued from a frame callback runs once that frame is drawn. */
  const afterPaint = () => new Promise(resolve => rawRequestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
  const host = message => window.postMessage(message, '*');

  /**
   * Plays one chat turn as ChatController does (state, started, deltas, end) and streams `deltas`
   * one message each, every `intervalMs`, on a fixed schedule (a late tick catches up).
   */
  bench.play = async ({ deltas, intervalMs, finalText }) => {
    const requestId = 'bench-request';
    const choice = { providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-5.4-mini', hasKey: true };
    const user = { id: 'bench-user', role: 'user', text: 'Write a long, detailed guide with code examples.' };
    const assistant = { id: 'bench-answer', role: 'assistant', text: '', requestId };
    host({ type: 'chat/state', conversationId: 'bench', title: 'Bench', messages: [user, assistant], busyRequestId: requestId });
    host({ type: 'chat/choice', choice });
    host({ type: 'context/chips', chips: [] });
    host({ type: 'chat/conversations', conversations: [{ id: 'bench', title: 'Bench', updatedAt: Date.now() }], activeId: 'bench' });
    host({ type: 'chat/started', requestId, message: assistant });
    for (let index = 0; index < 10; index++) await nextFrame();

    bench.windowSize = Math.max(1, Math.floor(deltas.length / 10));
    bench.windows = [bench.handlerMs + bench.frameMs];
    const before = { handlerMs: bench.handlerMs, frameMs: bench.frameMs, frameCount: bench.frameCount, longTasks: bench.longTasks.length };
    const start = performance.now();
    let next = 0;
    let maxSlipMs = 0;
    await new Promise(resolve => {
      const tick = () => {
        const now = performance.now();
        while (next < deltas.length && start + next * intervalMs <= now) {
          maxSlipMs = Math.max(maxSlipMs, now - (start + next * intervalMs));
          host({ type: 'chat/delta', requestId, text: deltas[next] });
          next++;
        }
        if (next < deltas.length) setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
        else resolve();
      };
      tick();
    });
    const lastDeltaAt = performance.now();
    const endPostedAt = performance.now();
    host({ type: 'chat/end', requestId, message: { ...assistant, text: finalText, meta: { providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-5.4-mini', inputTokens: 20, outputTokens: deltas.length, latencyMs: 350 } } });
    while (bench.endHandledAt === undefined) await new Promise(resolve => setTimeout(resolve, 1));
    const finalPaintAt = await afterPaint();
    const body = document.querySelector('.message.assistant .markdown-body');
    return {
      start, lastDeltaAt, endPostedAt, endHandledAt: bench.endHandledAt, finalPaintAt, maxSlipMs,
      handlerMs: bench.handlerMs - before.handlerMs,
      frameMs: bench.frameMs - before.frameMs,
      frames: bench.frameCount - before.frameCount,
      maxHandlerMs: bench.maxHandlerMs,
      maxFrameMs: bench.maxFrameMs,
      windows: bench.windows,
      longTasks: bench.longTasks.filter(task => task.start >= start - 1),
      deltasHandled: bench.deltasHandled,
      codeBlocks: body ? body.querySelectorAll('pre').length : -1,
      renderedTextLength: body ? body.textContent.length : -1,
      domNodes: document.getElementsByTagName('*').length,
      cspViolations: bench.cspViolations,
      errors: bench.errors,
      postedTypes: bench.posted.map(message => message.type),
    };
  };

  /**
   * The pipeline phase: a transcript of `prior` messages arrives as chat/state (not measured), then
   * one turn as the host sends it — chat/message-added, chat/started, `deltas`, chat/end — on a fixed
   * schedule. render.mjs reads the main-thread time around `turn()` only.
   */
  bench.loadTranscript = async ({ prior }) => {
    host({ type: 'chat/state', conversationId: 'bench-turns', title: 'Bench', messages: prior });
    host({ type: 'chat/choice', choice: { providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-5.4-mini', hasKey: true } });
    host({ type: 'chat/conversations', conversations: [{ id: 'bench-turns', title: 'Bench', updatedAt: Date.now() }], activeId: 'bench-turns' });
    for (let index = 0; index < 30; index++) await nextFrame();
    await new Promise(resolve => setTimeout(resolve, 200));
    return { domNodes: document.getElementsByTagName('*').length };
  };
  bench.turn = async ({ deltas, intervalMs, finalText, turn }) => {
    const requestId = `bench-turn-${turn}`;
    const user = { id: `bench-turn-user-${turn}`, role: 'user', text: `Question ${turn}: explain the function below.` };
    const assistant = { id: `bench-turn-answer-${turn}`, role: 'assistant', text: '', requestId };
    bench.endHandledAt = undefined;
    const start = performance.now();
    host({ type: 'chat/message-added', conversationId: 'bench-turns', message: user });
    host({ type: 'chat/started', requestId, message: assistant });
    let next = 0;
    await new Promise(resolve => {
      const tick = () => {
        const now = performance.now();
        while (next < deltas.length && start + next * intervalMs <= now) host({ type: 'chat/delta', requestId, text: deltas[next++] });
        if (next < deltas.length) setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
        else resolve();
      };
      tick();
    });
    host({ type: 'chat/end', requestId, message: { ...assistant, text: finalText, meta: { providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-5.4-mini', inputTokens: 20, outputTokens: deltas.length, latencyMs: 350 } } });
    while (bench.endHandledAt === undefined) await new Promise(resolve => setTimeout(resolve, 1));
    const finalPaintAt = await afterPaint();
    return { start, finalPaintAt, errors: bench.errors.slice(), domNodes: document.getElementsByTagName('*').length };
  };
})();
