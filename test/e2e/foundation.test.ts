// Foundation e2e: BYOK AI installed from its VSIX in a real VS Code workbench (code-server), driven
// like a person would: activity bar, chat webview, command palette, status bar, quick pick.
// Screenshots: test-results/foundation-*.png (and fail-*.png for a failing step).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  openViewContainer, openWorkbench, quickInput, runCommand, screenshot, screenshotIfFailed, STATUS_ITEM_ID, statusBarItem,
  waitForWorkbench, webviewFrame, type Workbench,
} from './workbench';

describe('foundation: BYOK AI in the VS Code workbench', function () {
  this.timeout(120000);
  let wb: Workbench | undefined;
  let page: Page;

  before(async () => {
    wb = await openWorkbench();
    page = wb.page;
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, wb?.page, 'fail-');
  });

  after(async () => {
    if (wb) await screenshot(page, 'foundation-final').catch(() => undefined);
    await wb?.close();
  });

  it('loads the workbench with the BYOK AI activity-bar container', async () => {
    await waitForWorkbench(page);
    await page.locator('.activitybar [aria-label^="BYOK AI"]').first().waitFor({ timeout: 90000 });
    await screenshot(page, 'foundation-1-workbench');
  });

  it('opens the BYOK AI sidebar with the chat input inside its webview', async () => {
    await openViewContainer(page, 'BYOK AI');
    const chat = await webviewFrame(page, '#prompt', 90000);
    const prompt = chat.locator('#prompt');
    assert.equal(await prompt.evaluate(el => el.tagName), 'TEXTAREA');
    await prompt.fill('Hello from the e2e test');
    assert.equal(await prompt.inputValue(), 'Hello from the e2e test');
    await screenshot(page, 'foundation-2-chat-view');
  });

  it('runs "BYOK AI: New Chat" from the command palette', async () => {
    await runCommand(page, 'BYOK AI: New Chat');
    const chat = await webviewFrame(page, '#prompt');
    await chat.locator('#prompt').waitFor();
    await screenshot(page, 'foundation-3-new-chat');
  });

  it('clicking the BYOK AI status bar item opens the provider quick pick', async () => {
    const item = statusBarItem(page, { id: STATUS_ITEM_ID });
    await item.waitFor({ timeout: 60000 });
    const text = (await item.innerText()).trim();
    assert.match(text, /BYOK|OpenAI|Anthropic|Gemini|Mistral|Groq|xAI|Cohere|DeepSeek|Together|Perplexity|compatible|provider/i,
      `status bar text "${text}" names BYOK or a provider`);
    await item.click();
    const input = quickInput(page).locator('input');
    await input.waitFor({ state: 'visible' });
    const placeholder = `${await input.getAttribute('placeholder') ?? ''} ${await input.getAttribute('aria-label') ?? ''}`;
    assert.match(placeholder, /provider/i, `quick pick placeholder "${placeholder.trim()}" mentions a provider`);
    await screenshot(page, 'foundation-4-provider-pick');
    await page.keyboard.press('Escape');
    await quickInput(page).waitFor({ state: 'hidden' });
  });
});
