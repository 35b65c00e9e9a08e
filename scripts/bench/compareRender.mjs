// The comparison panel's webview (dist/webview/compare.js from the VSIX) in headless chromium under
// the HTML and CSP of src/webview/html.ts: four panes streaming at once, each at `tokensPerSecond`,
// deltas batched per pane as the host batches them. Target: no long task > 50 ms.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, findChromium, repoRoot } from '../harness.mjs';
import { makeAnswer } from './answer.mjs';
import { serveWebview } from './render.mjs';
import { round } from './util.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));

/**
 * @param {{ extensionDirectory: string, webviewHtmlModule: string, panes: number, tokens: number, tokensPerSecond: number, flushMs: number, log: (text: string) => void }} options
 */
export async function measureCompareRender({ extensionDirectory, webviewHtmlModule, panes, tokens, tokensPerSecond, flushMs, log }) {
  const server = await serveWebview(extensionDirectory, webviewHtmlModule, 'compare', 'Compare Models');
  const { chromium } = requireFromRepo('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', error => pageErrors.push(String(error)));
    await page.addInitScript({ path: path.join(here, 'compareRenderPage.js') });
    await page.goto(server.origin);
    await page.waitForFunction(() => window.__compareBench?.ready === true, undefined, { timeout: 30_000 });
    const answers = Array.from({ length: panes }, (_, index) => makeAnswer({ tokens, seed: 40 + index }));
    const timing = await page.evaluate(options => window.__compareBench.play(options), {
      answers: answers.map(answer => ({ deltas: answer.deltas, text: answer.text })), tokensPerSecond, flushMs,
    });
    await context.close();
    const deltas = answers.reduce((sum, answer) => sum + answer.deltas.length, 0);
    const result = {
      panes, tokensPerPane: tokens, tokensPerSecond, flushMs,
      streamSeconds: round((timing.lastDeltaAt - timing.start) / 1000),
      ownMsPerDelta: round((timing.handlerMs + timing.frameMs) / deltas, 4),
      maxFrameMs: round(timing.maxFrameMs),
      maxHandlerMs: round(timing.maxHandlerMs),
      longTasks: timing.longTasks.length,
      longestTaskMs: round(Math.max(0, ...timing.longTasks.map(task => task.duration))),
      longTaskList: timing.longTasks.map(task => ({ atMs: round(task.start - timing.start, 1), durationMs: round(task.duration, 1) })),
      finalPaintAfterLastDeltaMs: round(timing.finalPaintAt - timing.lastDeltaAt),
      renderedPanes: timing.renderedPanes,
      codeBlocks: timing.codeBlocks,
      expectedCodeBlocks: answers.reduce((sum, answer) => sum + (answer.text.match(/^```/gm) ?? []).length / 2, 0),
      figures: timing.figures,
      domNodes: timing.domNodes,
      cspViolations: timing.cspViolations,
      errors: [...timing.errors, ...pageErrors],
      browser: browser.version(),
      where: 'dist/webview/compare.js from the VSIX in headless chromium (playwright-core), HTML + CSP from src/webview/html.ts; not the VS Code workbench',
    };
    log(`compare render: ${panes} panes × ${tokens} tokens at ${tokensPerSecond} tok/s each: ${result.longTasks} long tasks (longest ${result.longestTaskMs} ms), own ${result.ownMsPerDelta} ms/delta, final paint ${result.finalPaintAfterLastDeltaMs} ms after the last delta`);
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
}
