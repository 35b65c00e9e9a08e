// Compare Models in the real workbench: from the chat's Compare button, pick two models, watch both
// panes stream, stop the slow one, continue with the other's answer — the chat then shows that
// answer with its model selected. The providers are fake servers the user's settings point at.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { anthropicStream, openaiStream } from './fakeAnswers';
import {
  ask, chatFrame, followUpInput, openWorkbench, screenshot, screenshotIfFailed, setKeyFromPalette, STATUS_ITEM_ID,
  statusBarItem, updateUserSettings, waitForExtension, webviewFrame, type Workbench,
} from './workbench';

const openaiKey = 'sk-e2e-compare-SECRET-abcdefghijklmnopqrst';
const anthropicKey = 'sk-ant-e2e-compare-SECRET-abcdefghijklmnop';

describe('compare models: stream side by side, stop one, continue with another', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let page: Page;
  const openai = new FakeProviderServer();
  const anthropic = new FakeProviderServer();

  before(async () => {
    await openai.start();
    await anthropic.start();
    openai.replay('GET', '/v1/models', loadFixture('openai/models-list.json'));
    // OpenAI writes slowly (it is the one stopped); Anthropic answers at once.
    openai.route('POST', '/v1/chat/completions', async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let index = 0; index < 600 && !response.destroyed; index++) {
        response.write(openaiStream([`slow${index} `]).split('\n\n')[0] + '\n\n');
        await new Promise(resolve => setTimeout(resolve, 40));
      }
      response.end();
    });
    anthropic.replay('GET', '/v1/models', loadFixture('anthropic/models-list.json'));
    anthropic.route('POST', '/v1/messages', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(anthropicStream(['Closures **capture** ', 'their scope.\n\n', '```js\nconst add = a => b => a + b;\n```\n']));
    });
    updateUserSettings(() => ({ 'byok.baseUrls': { openai: `${openai.url}/v1`, anthropic: anthropic.url } }));
    wb = await openWorkbench();
    page = wb.page;
    await waitForExtension(page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, wb?.page, 'fail-compare-');
  });

  after(async () => {
    await wb?.close();
    await openai.stop();
    await anthropic.stop();
  });

  it('runs a comparison from the chat, stops one pane and continues with the other answer', async () => {
    // Anthropic first, then OpenAI: both active, OpenAI selected.
    await setKeyFromPalette(page, 'Anthropic', anthropicKey, 'Activate and use');
    await setKeyFromPalette(page, 'OpenAI', openaiKey, 'Activate and use');
    await statusBarItem(page, { id: STATUS_ITEM_ID }).filter({ hasText: 'OpenAI' }).waitFor();

    const chat = await chatFrame(page);
    await chat.locator('#prompt').fill('Explain closures in one line');
    await chat.locator('#compare').click();

    // Pick the selected model of each provider (2 of 2–4).
    await followUpInput(page, 'Compare Models');
    // The live model lists are long and the list is virtualised: filter to the selected models.
    await page.keyboard.type('selected');
    for (const provider of ['OpenAI', 'Anthropic']) {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: `${provider} · selected` }).first().click();
    }
    await page.keyboard.press('Enter');

    const panel = await webviewFrame(page, '.pane[data-pane="1"]', 60_000);
    const slow = panel.locator('.pane[data-pane="0"]');
    const fast = panel.locator('.pane[data-pane="1"]');
    await slow.locator('.pane-title', { hasText: 'OpenAI' }).waitFor();
    await fast.locator('.pane-title', { hasText: 'Anthropic' }).waitFor();
    await slow.locator('.pane-body', { hasText: 'slow3' }).waitFor({ timeout: 30_000 });
    await fast.locator('.pane-body strong', { hasText: 'capture' }).waitFor({ timeout: 30_000 });
    await fast.locator('.pane-state', { hasText: 'Done' }).waitFor();
    // The finished pane shows its figures: tokens in/cached/out, cost or "unpriced", first token, speed, total.
    const figures = await fast.locator('.pane-figures').innerText();
    assert.match(figures, /20 in \/ 0 cached \/ 3 out/);
    assert.match(figures, /\$|unpriced/);
    assert.match(figures, /first token/);
    assert.match(figures, /total/);
    await screenshot(page, 'compare-1-streaming');

    // Stop the slow pane only: the other keeps its answer and its Continue button.
    await slow.locator('.pane-stop').click();
    await slow.locator('.pane-state', { hasText: 'Stopped' }).waitFor({ timeout: 15_000 });
    const stoppedText = await slow.locator('.pane-body').innerText();
    assert.match(stoppedText, /slow0 slow1/);
    assert.doesNotMatch(stoppedText, /slow599/);
    assert.equal(await fast.locator('.pane-continue').isEnabled(), true);
    await screenshot(page, 'compare-2-one-stopped');

    await fast.locator('.pane-continue').click();
    await statusBarItem(page, { id: STATUS_ITEM_ID }).filter({ hasText: 'Anthropic' }).waitFor({ timeout: 15_000 });
    const chatAfter = await chatFrame(page);
    await chatAfter.locator('.message.user', { hasText: 'Explain closures in one line' }).waitFor({ timeout: 30_000 });
    const adopted = chatAfter.locator('.message.assistant').last();
    await adopted.locator('.message-body', { hasText: 'Closures capture their scope.' }).waitFor();
    await adopted.locator('.meta', { hasText: 'Anthropic' }).waitFor();
    await chatAfter.locator('#model-pick', { hasText: 'Anthropic' }).waitFor();
    await screenshot(page, 'compare-3-continued-in-chat');

    // The next chat request goes to Anthropic with the chosen answer only.
    anthropic.reset();
    anthropic.route('POST', '/v1/messages', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(anthropicStream(['Follow-up answered.']));
    });
    await ask(chatAfter, 'And in Python?');
    await chatAfter.locator('.message.assistant').last().locator('.message-body', { hasText: 'Follow-up answered.' }).waitFor({ timeout: 30_000 });
    const sent = anthropic.requests.find(request => request.url.startsWith('/v1/messages'));
    assert.ok(sent, 'the follow-up went to Anthropic');
    const transcript = JSON.stringify((JSON.parse(sent.body) as { messages: unknown[] }).messages);
    assert.match(transcript, /Closures \*\*capture\*\* their scope/);
    assert.doesNotMatch(transcript, /slow0/, 'the alternative answer is not sent');
  });
});
