// Streaming render of the real chat webview bundle (dist/webview/chat.js from the VSIX) in headless
// chromium, under the HTML and CSP that src/webview/html.ts renders (bundled with a stand-in for
// `vscode`), served from 127.0.0.1 as the webview's cspSource. Not the whole workbench: the webview's
// own bundle is what is measured. A fake acquireVsCodeApi (renderPage.js) plays the host.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, findChromium, repoRoot } from '../harness.mjs';
import { makeAnswer } from './answer.mjs';
import { round } from './util.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));
const contentTypes = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html; charset=utf-8' };

/** Serves one webview (`view`: chat, compare, …) under its real HTML shell and CSP. */
export function serveWebview(extensionDirectory, webviewHtmlModule, view = 'chat', title = 'BYOK AI Chat') {
  const { renderWebviewHtml } = createRequire(import.meta.url)(webviewHtmlModule);
  const webviewDirectory = path.join(extensionDirectory, 'dist', 'webview');
  let origin = '';
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/') {
      // The stand-in Webview: resources come from this server, which is also the CSP's cspSource.
      const webview = { cspSource: origin, asWebviewUri: uri => ({ toString: () => `${origin}${uri.path}` }) };
      const html = renderWebviewHtml(webview, { path: '' }, view, title);
      response.writeHead(200, { 'content-type': contentTypes['.html'], 'cache-control': 'no-store' });
      response.end(html);
      return;
    }
    const match = /^\/dist\/webview\/([\w.-]+)$/.exec(url.pathname);
    const file = match ? path.join(webviewDirectory, match[1]) : undefined;
    if (!file || !fs.existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' });
    response.end(fs.readFileSync(file));
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => {
    origin = `http://127.0.0.1:${server.address().port}`;
    resolve({ origin, close: () => new Promise(done => server.close(done)) });
  }));
}

const metricsOf = async session => Object.fromEntries((await session.send('Performance.getMetrics')).metrics.map(metric => [metric.name, metric.value]));

/**
 * @param {{ extensionDirectory: string, webviewHtmlModule: string, sizes: number[], deltasPerSecond: number, log: (text: string) => void }} options
 */
export async function measureRender({ extensionDirectory, webviewHtmlModule, sizes, deltasPerSecond, log }) {
  const server = await serveWebview(extensionDirectory, webviewHtmlModule);
  const { chromium } = requireFromRepo('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const browserVersion = browser.version();
  const runs = [];
  try {
    for (const tokens of sizes) {
      const answer = makeAnswer({ tokens, seed: 1 });
      const context = await browser.newContext({ viewport: { width: 400, height: 800 } });
      const page = await context.newPage();
      const pageErrors = [];
      page.on('pageerror', error => pageErrors.push(String(error)));
      await page.addInitScript({ path: path.join(here, 'renderPage.js') });
      await page.goto(server.origin);
      await page.waitForFunction(() => window.__bench?.ready === true, undefined, { timeout: 30_000 });
      const session = await context.newCDPSession(page);
      await session.send('Performance.enable');
      const before = await metricsOf(session);
      const timing = await page.evaluate(options => window.__bench.play(options), {
        deltas: answer.deltas, intervalMs: 1000 / deltasPerSecond, finalText: answer.text,
      });
      const after = await metricsOf(session);
      const expectedCodeBlocks = (answer.text.match(/^```/gm) ?? []).length / 2;
      await context.close();

      const deltas = answer.deltas.length;
      const windows = timing.windows.slice(1).map((cumulative, index) => (cumulative - timing.windows[index]) / Math.max(1, Math.floor(deltas / 10)));
      const run = {
        tokens: deltas,
        characters: answer.text.length,
        deltasPerSecond,
        streamSeconds: round((timing.lastDeltaAt - timing.start) / 1000),
        mainThreadMsPerDelta: round(((after.TaskDuration - before.TaskDuration) * 1000) / deltas, 4),
        scriptMsPerDelta: round(((after.ScriptDuration - before.ScriptDuration) * 1000) / deltas, 4),
        layoutMsPerDelta: round(((after.LayoutDuration - before.LayoutDuration) * 1000) / deltas, 4),
        styleMsPerDelta: round(((after.RecalcStyleDuration - before.RecalcStyleDuration) * 1000) / deltas, 4),
        ownMsPerDelta: round((timing.handlerMs + timing.frameMs) / deltas, 4),
        ownMsPerDeltaByTenth: windows.map(value => round(value, 4)),
        handlerMsPerDelta: round(timing.handlerMs / deltas, 4),
        frameMsPerDelta: round(timing.frameMs / deltas, 4),
        frames: timing.frames,
        maxFrameMs: round(timing.maxFrameMs),
        maxHandlerMs: round(timing.maxHandlerMs),
        longTasks: timing.longTasks.length,
        longestTaskMs: round(Math.max(0, ...timing.longTasks.map(task => task.duration))),
        longTaskList: timing.longTasks.map(task => ({ atMs: round(task.start - timing.start, 1), durationMs: round(task.duration, 1) })),
        timeToFinalPaintMs: round(timing.finalPaintAt - timing.start),
        finalPaintAfterLastDeltaMs: round(timing.finalPaintAt - timing.lastDeltaAt),
        maxScheduleSlipMs: round(timing.maxSlipMs),
        codeBlocks: timing.codeBlocks,
        expectedCodeBlocks,
        domNodes: timing.domNodes,
        cspViolations: timing.cspViolations,
        errors: [...timing.errors, ...pageErrors],
        deltasHandled: timing.deltasHandled,
      };
      runs.push(run);
      log(`render ${deltas} tokens: main thread ${run.mainThreadMsPerDelta} ms/delta (own ${run.ownMsPerDelta}), ${run.longTasks} long tasks (longest ${run.longestTaskMs} ms), final paint ${run.timeToFinalPaintMs} ms (${run.finalPaintAfterLastDeltaMs} ms after the last delta)`);
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
  return {
    where: 'dist/webview/chat.js from the VSIX in headless chromium (playwright-core), HTML + CSP from src/webview/html.ts; not the VS Code workbench',
    browser: browserVersion,
    runs,
  };
}

/**
 * The pipeline phase's webview part: main-thread time (CDP TaskDuration) for one chat turn sent as
 * events, after a transcript of `priorTurns` earlier turns vs none. A view that re-rendered the
 * whole transcript per turn would grow with it; one that renders only what is new stays flat.
 * @param {{ extensionDirectory: string, webviewHtmlModule: string, priorTurns: number[], answerTokens: number, deltasPerSecond: number, repeats: number, log: (text: string) => void }} options
 */
export async function measureTurnRender({ extensionDirectory, webviewHtmlModule, priorTurns, answerTokens, deltasPerSecond, repeats, log }) {
  const server = await serveWebview(extensionDirectory, webviewHtmlModule);
  const { chromium } = requireFromRepo('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const results = [];
  try {
    for (const prior of priorTurns) {
      const messages = [];
      for (let turn = 0; turn < prior; turn++) {
        messages.push({ id: `prior-user-${turn}`, role: 'user', text: `Earlier question ${turn}` });
        const earlier = makeAnswer({ tokens: answerTokens, seed: 100 + turn });
        messages.push({ id: `prior-answer-${turn}`, role: 'assistant', text: earlier.text, requestId: `prior-${turn}`, meta: { providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-5.4-mini', inputTokens: 20, outputTokens: answerTokens } });
      }
      const samples = [];
      const parts = [];
      let domNodes = 0;
      const errors = [];
      const context = await browser.newContext({ viewport: { width: 400, height: 800 } });
      const page = await context.newPage();
      page.on('pageerror', error => errors.push(String(error)));
      await page.addInitScript({ path: path.join(here, 'renderPage.js') });
      await page.goto(server.origin);
      await page.waitForFunction(() => window.__bench?.ready === true, undefined, { timeout: 30_000 });
      const session = await context.newCDPSession(page);
      await session.send('Performance.enable');
      const loaded = await page.evaluate(options => window.__bench.loadTranscript(options), { prior: messages });
      for (let repeat = 0; repeat < repeats; repeat++) {
        const answer = makeAnswer({ tokens: answerTokens, seed: 9000 + repeat });
        const before = await metricsOf(session);
        const timing = await page.evaluate(options => window.__bench.turn(options), { deltas: answer.deltas, intervalMs: 1000 / deltasPerSecond, finalText: answer.text, turn: repeat });
        const after = await metricsOf(session);
        samples.push((after.TaskDuration - before.TaskDuration) * 1000);
        parts.push({ script: (after.ScriptDuration - before.ScriptDuration) * 1000, layout: (after.LayoutDuration - before.LayoutDuration) * 1000, style: (after.RecalcStyleDuration - before.RecalcStyleDuration) * 1000 });
        domNodes = timing.domNodes;
        errors.push(...timing.errors);
      }
      await context.close();
      const sorted = [...samples].sort((a, b) => a - b);
      const medianMs = sorted[Math.floor(sorted.length / 2)];
      const medianOf = key => { const values = parts.map(part => part[key]).sort((a, b) => a - b); return round(values[Math.floor(values.length / 2)]); };
      results.push({ priorTurns: prior, turn: prior + 1, mainThreadMs: samples.map(value => round(value)), medianMainThreadMs: round(medianMs), medianScriptMs: medianOf('script'), medianLayoutMs: medianOf('layout'), medianStyleMs: medianOf('style'), domNodesBefore: loaded.domNodes, domNodesAfter: domNodes, errors: [...new Set(errors)].slice(0, 5) });
      log(`turn ${prior + 1}: main thread ${round(medianMs)} ms for one ${answerTokens}-token turn (median of ${repeats}), ${domNodes} DOM nodes`);
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
  return { where: 'dist/webview/chat.js from the VSIX in headless chromium; one turn as host events after a chat/state of N earlier turns', results };
}
