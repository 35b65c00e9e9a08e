// An answer that starts with a raw <frameset> (an unfenced HTML example, or text planted by prompt
// injection) once made the renderer throw: the composer stayed busy and, after a reload, the whole
// conversation no longer rendered. Here, in the real workbench with the webview's Trusted Types CSP:
// the answer shows, the chat stays usable, no CSP violation happens, and the conversation survives a
// reload. The provider is a fake DeepSeek server (OpenAI-compatible) on 127.0.0.1 that the user's
// settings point at. DeepSeek, because the user journey uses OpenAI and Anthropic and expects them
// not to be activated yet: the two files share one code-server and may run in either order.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { lastUserText, openaiStream } from './fakeAnswers';
import {
  ask, chatFrame, openWorkbench, runCommand, screenshot, screenshotIfFailed, setKeyFromPalette, STATUS_ITEM_ID,
  statusBarItem, updateUserSettings, waitForExtension, type Workbench,
} from './workbench';

const deepseekKey = 'sk-e2eHostileAbcdefghijklmnopqrstuvwx';

// Split mid-tag on purpose: the stream renders partial HTML on the way.
const framesetAnswer = [
  '<frameset cols="50%,50%" onload="alert(1)">', '<frame src="javascript:alert(1)">\n<fra', 'me src="https://evil.example/">\n</frameset>\n\n',
  'After the **frameset** comes ', 'a [link](https://example.com/docs) and `code`.\n\n```html\n<frameset></frameset>\n```\n',
];

describe('hostile answer: a <frameset> answer renders, the chat stays usable and survives a reload', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let page: Page;
  const deepseek = new FakeProviderServer();
  let dialogs = 0;

  before(async () => {
    await deepseek.start();
    deepseek.replay('GET', '/v1/models', loadFixture('deepseek/models-list.json'));
    deepseek.route('POST', '/v1/chat/completions', (request, response) => {
      const question = lastUserText(request.body);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (/frameset/.test(question)) response.end(openaiStream(framesetAnswer));
      else if (/Still there/.test(question)) response.end(openaiStream(['Yes, ', 'still here.']));
      else response.end(openaiStream(['Hello from ', 'the fake server.']));
    });
    updateUserSettings(current => ({ 'byok.baseUrls': { ...(current['byok.baseUrls'] ?? {}), deepseek: `${deepseek.url}/v1` } }));
    wb = await openWorkbench();
    page = wb.page;
    page.on('dialog', dialog => { dialogs++; void dialog.dismiss(); });
    await waitForExtension(page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, wb?.page, 'fail-hostile-');
  });

  after(async () => {
    await wb?.close();
    await deepseek.stop();
  });

  /**
   * Records Trusted Types violations of the webview's own code inside the chat webview: a string
   * given to an HTML sink, or a policy other than the sanitizer's. Parsing the model's markup in
   * DOMPurify's inert document also reports (and blocks) its inline handlers (script-src-attr) and
   * the text of its <script> elements; those are the answer's, nothing of them runs, so they are not counted.
   */
  async function watchViolations(chat: FrameLocator): Promise<void> {
    await chat.locator('body').evaluate(() => {
      const target = window as unknown as { byokViolations?: string[] };
      target.byokViolations = [];
      document.addEventListener('securitypolicyviolation', event => {
        const ownSink = event.violatedDirective === 'trusted-types'
          || (event.violatedDirective === 'require-trusted-types-for' && !/^(HTML|SVG)ScriptElement text\|/.test(event.sample));
        if (ownSink) target.byokViolations?.push(`${event.violatedDirective}: ${event.sample}`);
      });
    });
  }

  async function violations(chat: FrameLocator): Promise<string[]> {
    return chat.locator('body').evaluate(() => (window as unknown as { byokViolations?: string[] }).byokViolations ?? ['not watched']);
  }

  async function assertReady(chat: FrameLocator): Promise<void> {
    await chat.locator('#send').waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await chat.locator('#stop').isVisible(), false, 'the composer is not busy');
  }

  it('sets a DeepSeek key, activates it and starts a new chat', async () => {
    await setKeyFromPalette(page, 'DeepSeek', deepseekKey, 'Activate and use');
    await statusBarItem(page, { id: STATUS_ITEM_ID }).filter({ hasText: 'DeepSeek' }).waitFor();
    await runCommand(page, 'BYOK AI: New Chat');
    const chat = await chatFrame(page);
    await chat.locator('#prompt').waitFor();
  });

  it('shows a <frameset>-leading answer between two ordinary ones, with the composer ready after each', async () => {
    const chat = await chatFrame(page);
    await watchViolations(chat);
    await ask(chat, 'Say hello');
    await chat.locator('.message.assistant').last().locator('.message-body', { hasText: 'Hello from the fake server.' }).waitFor({ timeout: 30_000 });
    await assertReady(chat);

    await ask(chat, 'Show me a frameset page');
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.message-body', { hasText: 'After the frameset comes a link and code.' }).waitFor({ timeout: 30_000 });
    await assertReady(chat);
    assert.equal(await answer.locator('.render-note').count(), 0, 'rendered as markdown, not the plain-text fallback');
    assert.equal(await answer.locator('strong', { hasText: 'frameset' }).count(), 1);
    assert.equal(await answer.locator('[data-href="https://example.com/docs"]').count(), 1);
    assert.equal(await answer.locator('.code-block code').innerText(), '<frameset></frameset>');
    assert.equal(await chat.locator('.message :is(frameset, frame, iframe, script, svg, [onload])').count(), 0);
    await screenshot(page, 'hostile-1-frameset-answer');

    await ask(chat, 'Still there?');
    await chat.locator('.message.assistant').last().locator('.message-body', { hasText: 'Yes, still here.' }).waitFor({ timeout: 30_000 });
    await assertReady(chat);
    assert.deepEqual(await violations(chat), [], 'no Trusted Types violation by the webview code');
    assert.equal(dialogs, 0);
  });

  it('renders the whole conversation again after the window reloads', async () => {
    await page.reload();
    await waitForExtension(page);
    const chat = await chatFrame(page);
    await chat.locator('.message.user', { hasText: 'Say hello' }).waitFor({ timeout: 30_000 });
    await watchViolations(chat);
    await chat.locator('.message.assistant', { hasText: 'Hello from the fake server.' }).waitFor();
    const answer = chat.locator('.message.assistant', { hasText: 'After the frameset comes' });
    await answer.waitFor();
    assert.equal(await answer.locator('.render-note').count(), 0);
    assert.equal(await answer.locator('.code-block code').innerText(), '<frameset></frameset>');
    await chat.locator('.message.user', { hasText: 'Still there?' }).waitFor();
    await chat.locator('.message.assistant', { hasText: 'Yes, still here.' }).waitFor();
    await assertReady(chat);
    assert.equal(await chat.locator('.message.assistant').count(), 3);
    await ask(chat, 'Still there after the reload?');
    await chat.locator('.message.assistant').nth(3).locator('.message-body', { hasText: 'Yes, still here.' }).waitFor({ timeout: 30_000 });
    await assertReady(chat);
    assert.deepEqual(await violations(chat), [], 'no Trusted Types violation by the webview code');
    await screenshot(page, 'hostile-2-after-reload');
  });
});
