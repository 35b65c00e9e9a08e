// Helpers for end-to-end tests of BYOK AI in the real VS Code workbench (code-server, started by
// scripts/test.mjs with the VSIX installed) driven by Playwright + Debian chromium.
// Env from scripts/test.mjs: BYOK_E2E_URL (server), BYOK_E2E_FOLDER (workspace), BYOK_E2E_USER_SETTINGS
// (the server's user settings.json, read at workbench load), BYOK_E2E_RESULTS
// (screenshot dir, default test-results/), CHROMIUM (default /usr/bin/chromium).
// Selectors proven on VS Code 1.139.1: shared/vscode-harness/README.md section 5.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const EXTENSION_ID = 'byok-ai.byok-ai';
/** DOM id of BYOK AI's status bar item: VS Code renders extension status items as <extensionId>.<itemId>. */
export const STATUS_ITEM_ID = `${EXTENSION_ID}.byok.status`;
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

/** Waits for the workbench and for BYOK AI's status bar item, which appears once the extension is active. */
export async function waitForExtension(page: Page): Promise<void> {
  await waitForWorkbench(page, statusBarItem(page, { id: STATUS_ITEM_ID }));
}

/** The code-server user settings as JSON; only the keys the tests merge into are typed. */
export interface UserSettings {
  'byok.baseUrls'?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * Writes the user settings.json the workbench reads at load (BYOK_E2E_USER_SETTINGS): the current
 * settings with the keys returned by `change` (given the current ones) replaced.
 */
export function updateUserSettings(change: (current: UserSettings) => UserSettings): void {
  const file = process.env.BYOK_E2E_USER_SETTINGS;
  assert.ok(file, 'BYOK_E2E_USER_SETTINGS is set by scripts/test.mjs');
  const current = (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}) as UserSettings;
  fs.writeFileSync(file, JSON.stringify({ ...current, ...change(current) }, null, 2));
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

/**
 * What to answer on the "<Provider> key saved" toast. 'Activate and use if offered' clicks the button
 * only when the toast shows it (an earlier e2e file may have activated the provider already: the
 * workbench state is shared) and does not insist on the toast closing.
 */
export type KeySavedChoice = 'Activate and use' | 'Not now' | 'Activate and use if offered';

/**
 * Sets a provider's API key like a user: "BYOK AI: Set API Key" from the palette, the provider
 * picked by its label, the key typed into the password box; then waits for the "<label> key saved"
 * toast and answers it with `choice`.
 */
export async function setKeyFromPalette(page: Page, providerLabel: string, key: string, choice: KeySavedChoice): Promise<void> {
  await runCommand(page, 'BYOK AI: Set API Key', 'Set the API key of which provider');
  const input = await followUpInput(page, 'Set the API key of which provider');
  await input.fill(providerLabel);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: providerLabel }).first().waitFor();
  await page.keyboard.press('Enter');
  await followUpInput(page, `${providerLabel} API key`);
  await page.locator('.quick-input-widget input[type="password"]').waitFor({ state: 'visible' });
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `${providerLabel} key saved` });
  await toast.waitFor({ timeout: 30_000 });
  if (choice === 'Activate and use if offered') {
    const use = toast.locator('.monaco-button', { hasText: 'Activate and use' });
    if (await use.count()) await use.click();
    await toast.waitFor({ state: 'hidden' }).catch(() => undefined);
    return;
  }
  await toast.locator('.monaco-button', { hasText: choice }).click();
  await toast.waitFor({ state: 'hidden' });
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

/** Opens the BYOK AI sidebar and returns its chat webview (the one with the prompt). */
export async function chatFrame(page: Page): Promise<FrameLocator> {
  await openViewContainer(page, 'BYOK AI');
  return webviewFrame(page, '#prompt', 60_000);
}

/** Types a question into the chat's prompt and sends it with Enter. */
export async function ask(chat: FrameLocator, question: string): Promise<void> {
  await chat.locator('#prompt').fill(question);
  await chat.locator('#prompt').press('Enter');
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

/** For afterEach: saves `<prefix><test title>.png` when the test that just ran failed. */
export async function screenshotIfFailed(test: Mocha.Test | undefined, page: Page | undefined, prefix: string): Promise<void> {
  if (test?.state === 'failed' && page) await screenshot(page, `${prefix}${test.title}`).catch(() => undefined);
}
