// Slash commands in the real workbench: type `/` in the chat, pick the workspace preset from the
// menu (sample-workspace/.byok/prompts/review-cart.prompt.md), add its argument, send; the host
// expands it, the fake provider receives the expanded prompt and its answer streams in, and the
// question shows the preset chip with the expanded prompt behind a disclosure.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { lastUserText, openaiStream } from './fakeAnswers';
import {
  chatFrame, openWorkbench, screenshot, screenshotIfFailed, setKeyFromPalette, updateUserSettings, waitForExtension,
  type Workbench,
} from './workbench';

const openaiKey = 'sk-e2e-presets-SECRET-abcdefghijklmnopqrstu';

describe('presets: a slash command from the chat input', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let page: Page;
  const openai = new FakeProviderServer();

  before(async () => {
    await openai.start();
    openai.replay('GET', '/v1/models', loadFixture('openai/models-list.json'));
    openai.route('POST', '/v1/chat/completions', (request, response) => {
      const question = lastUserText(request.body);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(/Review the pricing logic/.test(question) && /Focus on: discounts/.test(question)
        ? openaiStream(['Found one pricing bug: ', '`applyDiscount` never rounds.'])
        : openaiStream(['The preset was not expanded.']));
    });
    updateUserSettings(current => ({ 'byok.baseUrls': { ...(current['byok.baseUrls'] ?? {}), openai: `${openai.url}/v1` } }));
    wb = await openWorkbench();
    page = wb.page;
    await waitForExtension(page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, wb?.page, 'fail-presets-');
  });

  after(async () => {
    await wb?.close();
    await openai.stop();
  });

  it('types /, picks the workspace preset, sends it with an argument and gets the answer', async () => {
    await setKeyFromPalette(page, 'OpenAI', openaiKey, 'Activate and use if offered');
    const chat = await chatFrame(page);
    const prompt = chat.locator('#prompt');
    await prompt.click();
    await prompt.pressSequentially('/rev');
    const option = chat.locator('.preset-option', { hasText: '/review-cart' });
    await option.waitFor({ timeout: 30_000 });
    await option.locator('.preset-source', { hasText: 'workspace' }).waitFor();
    await screenshot(page, 'presets-1-menu');
    await prompt.press('Enter');
    assert.equal(await prompt.inputValue(), '/review-cart ');
    await prompt.pressSequentially('discounts');
    await prompt.press('Enter');

    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.message-body', { hasText: 'Found one pricing bug' }).waitFor({ timeout: 30_000 });
    const question = chat.locator('.message.user').last();
    await question.locator('.preset-chip', { hasText: '/review-cart' }).waitFor();
    await question.locator('details.preset-use summary').click();
    await question.locator('.preset-prompt', { hasText: 'Focus on: discounts' }).waitFor();
    const sent = openai.requests.filter(request => request.method === 'POST').at(-1);
    assert.ok(sent, 'the fake provider received the request');
    assert.match(lastUserText(sent.body), /Review the pricing logic[\s\S]*Focus on: discounts/);
    assert.doesNotMatch(lastUserText(sent.body), /\$ARGUMENTS|\/review-cart/);
    await screenshot(page, 'presets-2-answered');
  });
});
