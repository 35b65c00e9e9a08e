// Helpers for end-to-end tests of BYOK AI in the real VS Code workbench (code-server, started by
// scripts/test.mjs with the VSIX installed) driven by Playwright + Debian chromium.
// Env from scripts/test.mjs: BYOK_E2E_URL (server), BYOK_E2E_FOLDER (workspace), BYOK_E2E_USER_SETTINGS
// (the server's user settings.json, read at workbench load), BYOK_E2E_RESULTS
// (screenshot dir, default test-results/), CHROMIUM (default /usr/bin/chromium).
// Selectors proven on VS Code 1.139.1: shared/vscode-harness/README.md section 5.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const EXTENSION_ID = 'byok-ai.byok-ai';
/** Flags for chromium as root on a closed network (the harness README's list). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Workbench {
  browser: Browser;
  page: Page;
  /** the workbench URL that was opened */
  url: string;
  close(): Promise<void>;
}

export function resultsDir(): string {
  const dir = process.env.BYOK_E2E_RESULTS ?? path.resolve(__dirname, '..', '..', '..', 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Launches chromium and opens the workbench on BYOK_E2E_FOLDER (does not wait for it: see waitForWorkbench). */
export async function openWorkbench(): Promise<Workbench> {
  const server = process.env.BYOK_E2E_URL;
  const folder = process.env.BYOK_E2E_FOLDER;
  if (!server || !folder) throw new Error('BYOK_E2E_URL and BYOK_E2E_FOLDER are not set: run e2e tests through `npm test e2e`.');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(30000);
  const url = `${server}/?folder=${encodeURIComponent(path.resolve(folder))}`;
  await page.goto(url);
  return { browser, page, url, close: () => browser.close() };
}

/** Waits for the workbench DOM and (optionally) an element that appears once the extension is active. */
export async function waitForWorkbench(page: Page, ready?: Locator): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 60000 });
  if (ready) await ready.waitFor({ timeout: 90000 });
}

/** The quick input widget (command palette, quick picks). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/**
 * Runs a command by its palette title via F1 (e.g. "BYOK AI: New Chat"). When the command opens a
 * quick pick or input box of its own, pass `followUp` (text of its placeholder or title) to wait
 * for that instead of for the palette to close. `keepFocus` skips the focusing click, so an editor
 * selection survives.
 */
export async function runCommand(page: Page, title: string, followUp?: string, options: { keepFocus?: boolean } = {}): Promise<void> {
  // Focus the workbench (editor area) — unless the caller keeps an editor selection that a click would clear.
  if (!options.keepFocus) await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } });
  await page.keyboard.press('F1');                                               // palette, prefilled with '>'
  const input = quickInput(page).locator('input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  if (followUp) await followUpInput(page, followUp);
  else await quickInput(page).waitFor({ state: 'hidden' });
}

/** Waits until the quick input shows a placeholder or title containing `text`. */
export async function followUpInput(page: Page, text: string): Promise<Locator> {
  const widget = page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
  const matching = widget.filter({ has: page.locator(`input[placeholder*="${text}"], input[aria-label*="${text}"]`) })
    .or(widget.filter({ has: page.locator('.quick-input-title', { hasText: text }) }));
  await matching.first().waitFor({ state: 'visible' });
  return matching.first().locator('input');
}

/** Opens an activity-bar view container by the start of its title (aria-label), e.g. "BYOK AI". */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const sidebarTitle = page.locator('.sidebar .composite.title', { hasText: title });
  if (await sidebarTitle.isVisible()) return; // clicking the icon of the open container would close it
  await page.locator(`.activitybar [aria-label^="${title}"]`).first().click();
  await sidebarTitle.waitFor();
}

/**
 * The content frame of a webview view: an outer iframe.webview (host page) holding #active-frame
 * (the extension's HTML). Several webviews can be mounted at once, so this picks the visible one
 * of this extension whose content matches `contains` (a CSS selector), waiting up to timeoutMs.
 */
export async function webviewFrame(page: Page, contains: string, timeoutMs = 30000): Promise<FrameLocator> {
  const outer = page.locator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await outer.count();
    for (let i = 0; i < n; i++) {
      const frame = outer.nth(i).contentFrame().frameLocator('#active-frame');
      if (await outer.nth(i).isVisible() && await frame.locator(contains).count() > 0) return frame;
    }
    if (Date.now() > deadline) {
      throw new Error(`no visible ${EXTENSION_ID} webview containing "${contains}" after ${timeoutMs} ms (${n} webview frame(s) of the extension)`);
    }
    await page.waitForTimeout(250);
  }
}

/** A status bar entry: by exact DOM id (`<extensionId>.<itemId>`) when given `{ id }`, else by its text. */
export function statusBarItem(page: Page, what: string | RegExp | { id: string }): Locator {
  const bar = page.locator('#workbench\\.parts\\.statusbar');
  if (typeof what === 'object' && !(what instanceof RegExp)) return bar.locator(`[id="${what.id}"]`);
  return bar.locator('.statusbar-item', { hasText: what });
}

/** Saves a PNG of the page into test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(resultsDir(), `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}
