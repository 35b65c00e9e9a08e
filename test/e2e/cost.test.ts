// Cost in the real workbench: an answer shows what it cost, and "BYOK AI: Show Usage" renders the
// dashboard's chart and tables with that request in them. Fake OpenAI server on 127.0.0.1; the
// user's own settings point at it and pick gpt-5.4-mini ($0.75 / $4.5 per MTok).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import {
  ask, chatFrame, openWorkbench, runCommand, screenshot, screenshotIfFailed, setKeyFromPalette, updateUserSettings,
  waitForExtension, webviewFrame, type Workbench,
} from './workbench';

const openaiKey = 'sk-e2e-cost-SECRET-abcdefghijklmnopqrstuvwx';

/** An answer with a final usage chunk: 10,000 tokens in (4,000 cached), 1,000 out. */
function answerWithUsage(text: string): string {
  const frame = (body: object) => `data: ${JSON.stringify({ id: 'e2e', object: 'chat.completion.chunk', created: 1, model: 'gpt-5.4-mini', ...body })}\n\n`;
  return frame({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })
    + frame({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })
    + frame({ choices: [], usage: { prompt_tokens: 10_000, completion_tokens: 1_000, total_tokens: 11_000, prompt_tokens_details: { cached_tokens: 4_000 } } })
    + 'data: [DONE]\n\n';
}

describe('cost: the answer shows its cost and the usage dashboard shows the request', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let page: Page;
  const openai = new FakeProviderServer();

  before(async () => {
    await openai.start();
    openai.replay('GET', '/v1/models', loadFixture('openai/models-list.json'));
    openai.route('POST', '/v1/chat/completions', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(answerWithUsage('A binary search halves the range each step.'));
    });
    updateUserSettings(() => ({
      'byok.baseUrls': { openai: `${openai.url}/v1` },
      'byok.providers': { openai: { model: 'gpt-5.4-mini' } },
      'byok.selectedProvider': 'openai',
      'byok.budget.monthly': 50,
    }));
    wb = await openWorkbench();
    page = wb.page;
    await waitForExtension(page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, wb?.page, 'fail-cost-');
  });

  after(async () => {
    await wb?.close();
    await openai.stop();
  });

  it('shows the cost under the answer', async () => {
    await setKeyFromPalette(page, 'OpenAI', openaiKey, 'Activate and use if offered');
    const chat = await chatFrame(page);
    await ask(chat, 'How does binary search work?');
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.message-body', { hasText: 'halves the range' }).waitFor({ timeout: 30_000 });
    // 6,000 × $0.75 + 4,000 × $0.075 + 1,000 × $4.5 per MTok = $0.0093
    await answer.locator('.meta', { hasText: '$0.0093' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'cost-1-answer-cost');
  });

  it('renders the usage dashboard with its chart, tables and budget bar', async () => {
    await runCommand(page, 'BYOK AI: Show Usage');
    const dashboard = await webviewFrame(page, '.chart', 60_000);
    await dashboard.locator('.chart canvas').first().waitFor({ timeout: 30_000 });
    await dashboard.locator('table th[scope="row"]', { hasText: 'gpt-5.4-mini' }).waitFor();
    await dashboard.locator('[role="progressbar"][aria-label="This month"]').waitFor();
    const summary = await dashboard.locator('.summary').innerText();
    // Other e2e files may have spent in this code-server before: only this request's row is exact.
    assert.match(summary, /over 30 days · \d+ requests?/);
    const row = dashboard.locator('tbody tr', { hasText: 'gpt-5.4-mini' });
    await row.locator('td', { hasText: '$0.0093' }).first().waitFor();
    await dashboard.locator('button', { hasText: '7 days' }).click();
    await dashboard.locator('button[aria-pressed="true"]', { hasText: '7 days' }).waitFor();
    await screenshot(page, 'cost-2-usage-dashboard');
  });
});
