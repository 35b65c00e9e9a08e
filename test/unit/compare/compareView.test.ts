import assert from 'node:assert/strict';
import { codeOf, comparisonToMarkdown, extensionFor, metricsLine } from '../../../src/compare/compareMarkdown';
import { parseTargets } from '../../../src/compare/targets';
import { parseCompareMessage } from '../../../src/webview/comparePanelMessages';
import { parseWebviewMessage, type WebviewToHost } from '../../../src/webview/protocol';
import { frameBudgetScheduler } from '../../../src/webview/ui/compare/frameBudget';
import { PaneView } from '../../../src/webview/ui/compare/paneView';
import { useDom } from '../webview/domSupport';

describe('compare: panel messages', () => {
  it('accepts exactly the panel\'s own messages', () => {
    assert.deepEqual(parseCompareMessage({ type: 'ready', view: 'compare' }), { type: 'ready', view: 'compare' });
    assert.deepEqual(parseCompareMessage({ type: 'compare/stop' }), { type: 'compare/stop' });
    assert.deepEqual(parseCompareMessage({ type: 'compare/stop', pane: 3 }), { type: 'compare/stop', pane: 3 });
    assert.deepEqual(parseCompareMessage({ type: 'compare/continue', pane: 0 }), { type: 'compare/continue', pane: 0 });
    assert.deepEqual(parseCompareMessage({ type: 'compare/diff', left: 0, right: 2 }), { type: 'compare/diff', left: 0, right: 2 });
    assert.deepEqual(parseCompareMessage({ type: 'compare/export' }), { type: 'compare/export' });
    assert.deepEqual(parseCompareMessage({ type: 'link/open', href: 'https://example.com' }), { type: 'link/open', href: 'https://example.com' });
    assert.deepEqual(parseCompareMessage({ type: 'code/action', action: 'copy', code: 'x', language: 'ts' }), { type: 'code/action', action: 'copy', code: 'x', language: 'ts' });
  });

  it('drops anything else', () => {
    for (const bad of [
      null, 'compare/stop', [], { type: 'compare/stop', pane: 4 }, { type: 'compare/stop', pane: -1 }, { type: 'compare/stop', pane: 1.5 },
      { type: 'compare/stop', pane: '1' }, { type: 'compare/continue' }, { type: 'compare/diff', left: 1, right: 1 },
      { type: 'compare/export', path: '/etc/passwd' }, { type: 'ready', view: 'chat' }, { type: 'chat/send', requestId: 'r', text: 'hi' },
      { type: 'code/action', action: 'delete', code: 'x', language: 'ts' }, { type: 'compare/continue', pane: 0, extra: true },
    ]) assert.equal(parseCompareMessage(bad), undefined, JSON.stringify(bad));
  });

  it('lets the chat composer ask for a comparison', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'chat/compare', text: 'Explain this' }), { ok: true, message: { type: 'chat/compare', text: 'Explain this' } });
    assert.equal(parseWebviewMessage({ type: 'chat/compare', text: 42 }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'chat/compare', text: 'x', targets: [] }).ok, false);
  });
});

describe('compare: remembered targets', () => {
  it('keeps valid distinct pairs, at most four', () => {
    assert.deepEqual(parseTargets(undefined), []);
    assert.deepEqual(parseTargets({ providerId: 'a', model: 'b' }), []);
    const pairs = [
      { providerId: 'openai', model: 'gpt-x' }, { providerId: 'openai', model: 'gpt-x' }, { providerId: '', model: 'm' }, { providerId: 'a', model: 7 },
      { providerId: 'anthropic', model: 'claude' }, { providerId: 'gemini', model: 'g' }, { providerId: 'groq', model: 'l' }, { providerId: 'mistral', model: 'm' },
    ];
    assert.deepEqual(parseTargets(pairs).map(target => target.providerId), ['openai', 'anthropic', 'gemini', 'groq']);
  });
});

describe('compare: export and diff text', () => {
  const panes = [
    { providerLabel: 'OpenAI', model: 'gpt-x', text: 'Use `map`:\n\n```ts\nconst b = a.map(f);\n```', outcome: 'ok' as const,
      metrics: { timeToFirstTokenMs: 250, totalMs: 1500, tokensPerSecond: 42.4, inputTokens: 1200, cachedInputTokens: 200, outputTokens: 50, costUsd: 0.0031 } },
    { providerLabel: 'Local', model: 'llama', text: 'partial', outcome: 'aborted' as const, metrics: { unpriced: true, outputTokens: 3 } },
    { providerLabel: 'Groq', model: 'l', text: '', outcome: 'error' as const, metrics: {}, errorMessage: 'Rate-limited.' },
  ];

  it('writes the prompt, each answer and its figures as Markdown', () => {
    const markdown = comparisonToMarkdown('Which is better? ```', panes, new Date('2026-12-01T10:00:00Z'));
    assert.match(markdown, /^# Model comparison\n\n_2026-12-01T10:00:00.000Z_\n\n## Prompt\n\n````text\nWhich is better\? ```\n````\n/);
    assert.match(markdown, /## OpenAI · gpt-x\n\n> first token 0\.25 s · total 1\.50 s · 42 tok\/s · 1,200 in \/ 200 cached \/ 50 out · \$0\.0031\n\nUse `map`:/);
    assert.match(markdown, /## Local · llama \(stopped\)\n\n> \? in \/ 0 cached \/ 3 out · unpriced\n\npartial/);
    assert.match(markdown, /## Groq · l \(failed\)\n\n\*\*Error:\*\* Rate-limited\.\n\n_\(no answer\)_\n$/);
  });

  it('formats the figures like the panel, never calling unpriced $0', () => {
    assert.equal(metricsLine({ unpriced: true }), 'unpriced');
    assert.equal(metricsLine({ costUsd: 0 }), '$0');
    assert.equal(metricsLine({ costUsd: 0.00001 }), '< $0.0001');
    assert.equal(metricsLine({}), '');
  });

  it('diffs the code blocks of an answer, or the whole answer when it has none', () => {
    assert.deepEqual(codeOf('Text\n```python\nprint(1)\n```\nmore\n~~~\nx = 2\n~~~'), { code: 'print(1)\n\nx = 2\n', language: 'python' });
    assert.deepEqual(codeOf('No code here.'), { code: 'No code here.', language: 'markdown' });
    assert.deepEqual(codeOf('```js\nlet a;\n````not closing\nstill code'), { code: 'let a;\n````not closing\nstill code\n', language: 'js' });
    assert.equal(extensionFor('TypeScript'), 'ts');
    assert.equal(extensionFor('brainfuck'), 'txt');
  });
});

describe('compare: pane view', () => {
  useDom();
  const now = (callback: () => void): void => callback();

  it('streams an answer, then shows its figures and enables Continue', () => {
    const calls: string[] = [];
    const pane = new PaneView(1, { providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-x' },
      { stop: () => calls.push('stop'), continueWith: () => calls.push('continue'), post: () => undefined }, { schedule: now });
    const element = pane.element;
    assert.equal(element.querySelector('.pane-title')?.textContent, 'OpenAI · gpt-x');
    assert.equal((element.querySelector('.pane-continue') as HTMLButtonElement).disabled, true);
    pane.firstToken(320);
    pane.append('Hello **wor');
    pane.append('ld**');
    assert.equal(element.querySelector('.pane-body strong')?.textContent, 'world');
    assert.match(element.querySelector('.pane-figures')?.textContent ?? '', /first token 0\.3 s/);
    (element.querySelector('.pane-stop') as HTMLButtonElement).click();
    pane.end('ok', 'Hello **world**', { timeToFirstTokenMs: 320, totalMs: 2100, tokensPerSecond: 55, inputTokens: 10, cachedInputTokens: 0, outputTokens: 90, unpriced: true }, undefined);
    const figures = element.querySelector('.pane-figures')?.textContent ?? '';
    assert.match(figures, /10 in \/ 0 cached \/ 90 out/);
    assert.match(figures, /unpriced/);
    assert.match(figures, /55 tok\/s/);
    assert.match(figures, /total 2\.10 s/);
    assert.equal(element.querySelector('.pane-state')?.textContent, 'Done');
    assert.equal((element.querySelector('.pane-stop') as HTMLButtonElement).disabled, true);
    (element.querySelector('.pane-continue') as HTMLButtonElement).click();
    assert.deepEqual(calls, ['stop', 'continue']);
  });

  it('shows an error with its fix in the pane, and its buttons post error actions', () => {
    const posted: WebviewToHost[] = [];
    const pane = new PaneView(0, { providerId: 'groq', providerLabel: 'Groq', model: 'l' }, { stop: () => undefined, continueWith: () => undefined, post: message => posted.push(message) }, { schedule: now });
    pane.end('error', '', {}, { kind: 'auth', providerId: 'groq', message: 'Invalid API Key', fix: 'Set a new key for Groq.', title: 'Key rejected', actions: ['setKey'] });
    const element = pane.element;
    assert.match(element.querySelector('.error-box')?.textContent ?? '', /Key rejected.*Invalid API Key.*Set a new key for Groq\./);
    assert.ok(element.classList.contains('outcome-error'));
    assert.equal((element.querySelector('.pane-continue') as HTMLButtonElement).disabled, true);
    (element.querySelector('.error-actions button') as HTMLButtonElement).click();
    assert.deepEqual(posted, [{ type: 'error/action', action: 'setKey', providerId: 'groq' }]);
  });

  it('renders model output through the sanitizer', () => {
    const pane = new PaneView(0, { providerId: 'x', providerLabel: 'X', model: 'm' }, { stop: () => undefined, continueWith: () => undefined, post: () => undefined }, { schedule: now });
    pane.end('ok', '<img src="https://evil.example/x.png" onerror="alert(1)"><script>alert(2)</script>[link](javascript:alert(3))', {}, undefined);
    const html = pane.element.querySelector('.pane-body')!.innerHTML;
    assert.doesNotMatch(html, /<img|<script|onerror|javascript:/);
  });
});

describe('compare: frame budget', () => {
  it('runs queued renders until the frame budget is spent, the rest in the next frames, in order', () => {
    const frames: (() => void)[] = [];
    let clock = 0;
    const schedule = frameBudgetScheduler({ budgetMs: 10, requestFrame: callback => frames.push(callback), now: () => clock });
    const ran: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) schedule(() => { ran.push(name); clock += 6; });
    assert.equal(frames.length, 1, 'one frame requested for all');
    frames.shift()!();
    assert.deepEqual(ran, ['a', 'b'], 'a (6 ms) then b (12 ms ≥ 10): the frame stops');
    frames.shift()!();
    assert.deepEqual(ran, ['a', 'b', 'c', 'd']);
    assert.equal(frames.length, 0);
    schedule(() => { ran.push('slow'); clock += 100; });
    schedule(() => ran.push('next'));
    frames.shift()!();
    assert.deepEqual(ran.slice(4), ['slow'], 'a slow render still runs, alone');
    frames.shift()!();
    assert.deepEqual(ran.slice(4), ['slow', 'next']);
  });
});
