// A user's first session, in the real workbench with the VSIX installed: set a key from the
// palette, see the provider verified, chat with a streamed answer, stop one, switch provider from
// the status bar mid-conversation, reload, verify all, refactor through the diff. The providers
// are fake servers on 127.0.0.1 that the user's own settings point at.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { anthropicStream, lastUserText, openaiStream } from './fakeAnswers';
import {
  ask, chatFrame, followUpInput, openViewContainer, openWorkbench, runCommand, screenshot, screenshotIfFailed,
  setKeyFromPalette, STATUS_ITEM_ID, statusBarItem, updateUserSettings, waitForExtension, webviewFrame, type Workbench,
} from './workbench';

const openaiKey = 'sk-e2e-SECRET-abcdefghijklmnopqrstuvwx';
const anthropicKey = 'sk-ant-e2e-SECRET-abcdefghijklmnopqrstuvwx';
const refactored = 'subtotal(): number {\n  return [...this.items.values()].reduce((total, item) => total + item.unitPrice * item.quantity, 0);\n}';

describe('user journey: keys, chat, switching, reload, verify, refactor', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let page: Page;
  const openai = new FakeProviderServer();
  const anthropic = new FakeProviderServer();
  let leakHits = 0;
  const leak = http.createServer((_request, response) => { leakHits++; response.end('gotcha'); });
  let leakUrl = '';

  before(async () => {
    await openai.start();
    await anthropic.start();
    await new Promise<void>(resolve => leak.listen(0, '127.0.0.1', resolve));
    leakUrl = `http://127.0.0.1:${(leak.address() as AddressInfo).port}/leak.png`;
    openai.replay('GET', '/v1/models', loadFixture('openai/models-list.json'));
    openai.route('POST', '/v1/chat/completions', async (request, response) => {
      const question = lastUserText(request.body);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (/slowly/.test(question)) {
        for (let index = 0; index < 600 && !response.destroyed; index++) {
          response.write(openaiStream([`word${index} `]).split('\n\n')[0] + '\n\n');
          await new Promise(resolve => setTimeout(resolve, 40));
        }
        response.end();
      } else if (/image/.test(question)) {
        response.end(openaiStream(['Here is the chart:\n\n', `![chart](${leakUrl})\n\n`, `<img src="${leakUrl}" onerror="alert(1)">`, '\n\nDone.']));
      } else {
        response.end(openaiStream(['Paris is **sunny** today. ', 'Here is how to read it:\n\n', '```ts\nconst weather = await fetchWeather("Paris");\n```\n']));
      }
    });
    anthropic.replay('GET', '/v1/models', loadFixture('anthropic/models-list.json'));
    anthropic.route('POST', '/v1/messages', (request, response) => {
      const question = lastUserText(request.body);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (/Rewrite the following/.test(question)) response.end(anthropicStream(['Here you go:\n```ts\n', `${refactored}\n`, '```\n']));
      else response.end(anthropicStream(['Rome is ', 'rainy, ', 'unlike Paris.']));
    });

    updateUserSettings(() => ({ 'byok.baseUrls': { openai: `${openai.url}/v1`, anthropic: anthropic.url } }));
    wb = await openWorkbench();
    page = wb.page;
    await waitForExtension(page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, wb?.page, 'fail-journey-');
  });

  after(async () => {
    await wb?.close();
    await openai.stop();
    await anthropic.stop();
    leak.close();
  });

  it('sets a key from the command palette and sees the provider card turn verified', async () => {
    await setKeyFromPalette(page, 'OpenAI', openaiKey, 'Activate and use');
    await statusBarItem(page, { id: STATUS_ITEM_ID }).filter({ hasText: 'OpenAI' }).waitFor();
    await openViewContainer(page, 'BYOK AI');
    const providers = await webviewFrame(page, '.provider-card[data-provider-id="openai"]', 60_000);
    const card = providers.locator('.provider-card[data-provider-id="openai"]');
    await card.getByText('Verified', { exact: false }).first().waitFor({ timeout: 30_000 });
    assert.ok(openai.requests.some(request => request.url === '/v1/models' && request.headers.authorization === `Bearer ${openaiKey}`));
    await screenshot(page, 'journey-1-providers-view');
  });

  it('asks a question in the sidebar and watches the answer stream in', async () => {
    const chat = await chatFrame(page);
    await ask(chat, 'What is the weather in Paris?');
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.message-body', { hasText: 'Paris is sunny today.' }).waitFor({ timeout: 30_000 });
    await answer.locator('.code-block').waitFor();
    await answer.locator('.meta', { hasText: 'OpenAI' }).waitFor();
    await screenshot(page, 'journey-2-chat-streamed');
  });

  it('stops an answer mid-way and keeps what was shown', async () => {
    const chat = await chatFrame(page);
    await ask(chat, 'Count slowly to a thousand');
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.message-body', { hasText: 'word3' }).waitFor({ timeout: 30_000 });
    await chat.locator('#stop').click();
    await answer.locator('.badge.stopped').waitFor({ timeout: 15_000 });
    const text = await answer.locator('.message-body').innerText();
    assert.match(text, /word0 word1/);
    assert.doesNotMatch(text, /word599/);
    await screenshot(page, 'journey-3-stopped');
  });

  it('shows images from model output as inert links and never fetches them', async () => {
    const chat = await chatFrame(page);
    await ask(chat, 'Show me the image');
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.message-body', { hasText: 'Done.' }).waitFor({ timeout: 30_000 });
    assert.equal(await answer.locator('img').count(), 0);
    await page.waitForTimeout(1000);
    assert.equal(leakHits, 0, 'no request reached the leak listener');
  });

  it('switches provider from the status bar and the new provider receives the earlier turns', async () => {
    await setKeyFromPalette(page, 'Anthropic', anthropicKey, 'Not now');
    const item = statusBarItem(page, { id: STATUS_ITEM_ID });
    await item.click();
    const input = await followUpInput(page, 'Switch the provider');
    await input.fill('Anthropic');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Anthropic' }).first().waitFor();
    await page.keyboard.press('Enter');
    await followUpInput(page, 'select a model');
    await page.keyboard.press('Enter');
    await item.filter({ hasText: 'Anthropic' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'journey-4-status-bar-switched');
    const chat = await chatFrame(page);
    await ask(chat, 'And in Rome?');
    await chat.locator('.message.assistant').last().locator('.message-body', { hasText: 'unlike Paris' }).waitFor({ timeout: 30_000 });
    const sent = anthropic.requests.find(request => request.url.startsWith('/v1/messages'));
    assert.ok(sent, 'the Anthropic fake received the question');
    const body = JSON.parse(sent.body) as { messages: { role: string; content: unknown }[] };
    const transcript = JSON.stringify(body.messages);
    assert.match(transcript, /What is the weather in Paris\?/);
    assert.match(transcript, /Paris is \*\*sunny\*\* today/);
    assert.match(transcript, /And in Rome\?/);
    assert.equal(sent.headers.authorization ?? sent.headers['x-api-key'], sent.headers.authorization ? `Bearer ${anthropicKey}` : anthropicKey);
    await screenshot(page, 'journey-5-switched-chat');
  });

  it('keeps the conversation after the window reloads', async () => {
    await page.reload();
    await waitForExtension(page);
    const chat = await chatFrame(page);
    await chat.locator('.message.user', { hasText: 'What is the weather in Paris?' }).waitFor({ timeout: 30_000 });
    await chat.locator('.message.assistant', { hasText: 'unlike Paris' }).waitFor();
    await screenshot(page, 'journey-6-after-reload');
  });

  it('verifies all providers and shows the report', async () => {
    await runCommand(page, 'BYOK AI: Verify All Providers (Report)');
    await page.locator('.monaco-editor .view-lines', { hasText: 'provider verification report' }).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    await screenshot(page, 'journey-7-verify-report');
    const text = await page.locator('.monaco-editor .view-lines').first().innerText();
    assert.match(text, /OpenAI/);
    assert.doesNotMatch(text, /SECRET/);
  });

  it('refactors a selection through the diff preview and applies it', async () => {
    await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } });
    await page.keyboard.press('Control+P');
    await (await followUpInput(page, 'Search files')).fill('cart.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'cart.ts' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'class Cart' }).first();
    await editor.waitFor();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    for (let line = 1; line < 22; line++) await page.keyboard.press('ArrowDown');   // line 22: `subtotal(): number {`
    await page.keyboard.press('Home');
    await page.keyboard.press('Home');                                              // column 1, before the indentation
    for (let line = 0; line < 5; line++) await page.keyboard.press('Shift+ArrowDown');
    await page.locator('.statusbar-item', { hasText: /\(\d+ selected\)/ }).first().waitFor();
    await runCommand(page, 'BYOK AI: Refactor Selection', 'Pick a refactoring', { keepFocus: true });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Simplify' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 60_000 });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Apply this refactoring' });
    await toast.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'journey-8-refactor-diff');
    await toast.locator('.monaco-button', { hasText: 'Apply' }).click();
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
    const applied = page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'reduce((total, item)' }).first();
    await applied.waitFor({ timeout: 15_000 });
    await screenshot(page, 'journey-9-refactor-applied');
  });
});
