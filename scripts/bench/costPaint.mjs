// First paint of the usage dashboard: the real dist/webview/usage.js from the VSIX (uPlot bundled in)
// in headless chromium, under the HTML and CSP that src/webview/html.ts renders (served by
// render.mjs's serveWebview; renderPage.js stands in for acquireVsCodeApi). Each repeat loads a fresh
// page, waits for its `ready`, then delivers the usage/state message costBench.ts built from 100,000
// ledger records — as JSON text parsed in the page, like a host message — and times message → the
// frame after the dashboard rendered it (DOM, the uPlot canvas, layout, paint).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, findChromium, repoRoot } from '../harness.mjs';
import { serveWebview } from './render.mjs';
import { round } from './util.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));
const metricsOf = async session => Object.fromEntries((await session.send('Performance.getMetrics')).metrics.map(metric => [metric.name, metric.value]));

/** @param {{ extensionDirectory: string, webviewHtmlModule: string, messageFile: string, repeats?: number, log: (text: string) => void }} options */
export async function measureUsagePaint({ extensionDirectory, webviewHtmlModule, messageFile, repeats = 5, log }) {
  const text = fs.readFileSync(messageFile, 'utf8');
  const server = await serveWebview(extensionDirectory, webviewHtmlModule, 'usage', 'BYOK AI Usage');
  const { chromium } = requireFromRepo('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const samples = [];
  const errors = [];
  let drawn;
  try {
    for (let repeat = 0; repeat < repeats + 1; repeat++) {
      const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
      const page = await context.newPage();
      page.on('pageerror', error => errors.push(String(error)));
      await page.addInitScript({ path: path.join(here, 'renderPage.js') });
      const loadStart = Date.now();
      await page.goto(server.origin);
      await page.waitForFunction(() => window.__bench?.ready === true, undefined, { timeout: 30_000 });
      const readyMs = Date.now() - loadStart;
      const session = await context.newCDPSession(page);
      await session.send('Performance.enable');
      const before = await metricsOf(session);
      const result = await page.evaluate(async messageText => {
        const bench = window.__bench;
        const start = performance.now();
        window.postMessage(JSON.parse(messageText), '*');
        // The message event is a task of its own: wait until the dashboard rendered, then for the frame after it.
        await new Promise(resolve => {
          const check = () => document.querySelector('canvas') && document.querySelector('h1')
            ? bench.rawRequestAnimationFrame(() => setTimeout(resolve, 0))
            : setTimeout(check, 0);
          check();
        });
        return {
          paintMs: performance.now() - start,
          canvases: document.querySelectorAll('canvas').length,
          tableRows: document.querySelectorAll('tbody tr').length,
          errors: [...bench.errors, ...bench.cspViolations.map(violation => `CSP: ${violation}`)],
        };
      }, text);
      const after = await metricsOf(session);
      const spent = key => (after[key] - before[key]) * 1000;
      await context.close();
      errors.push(...result.errors);
      drawn = { canvases: result.canvases, tableRows: result.tableRows };
      if (repeat > 0) samples.push({ paintMs: result.paintMs, readyMs, taskMs: spent('TaskDuration'), scriptMs: spent('ScriptDuration'), layoutMs: spent('LayoutDuration'), styleMs: spent('RecalcStyleDuration') });
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
  const median = values => { const sorted = [...values].sort((a, b) => a - b); return sorted[Math.floor(sorted.length / 2)]; };
  const paintMs = round(median(samples.map(sample => sample.paintMs)));
  log(`usage dashboard first paint ${paintMs} ms (median of ${samples.length}), ${drawn?.canvases} canvas, ${drawn?.tableRows} table rows; main thread ${round(median(samples.map(sample => sample.taskMs)))} ms`);
  return {
    where: 'dist/webview/usage.js from the VSIX in headless chromium; usage/state message → frame after render',
    messageBytes: Buffer.byteLength(text), paintMs, paintSamplesMs: samples.map(sample => round(sample.paintMs)),
    pageReadyMs: round(median(samples.map(sample => sample.readyMs))), ...drawn,
    // Main-thread time in the renderer over the same span (CDP Performance metrics): all of it, and script / layout / style.
    mainThreadMs: round(median(samples.map(sample => sample.taskMs))), scriptMs: round(median(samples.map(sample => sample.scriptMs))),
    layoutMs: round(median(samples.map(sample => sample.layoutMs))), styleMs: round(median(samples.map(sample => sample.styleMs))), errors: [...new Set(errors)].slice(0, 5),
  };
}
