// The renderer under the webview's Trusted Types CSP (emulated: jsdom has no Trusted Types), the CSP
// itself, and a scan of the webview sources for HTML string sinks.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { contentSecurityPolicy } from '../../../src/webview/contentSecurityPolicy';
import { plainTextNote, renderMarkdownFragment } from '../../../src/webview/ui/markdown';
import { StreamingMarkdown } from '../../../src/webview/ui/streamingMessage';
import { sanitizerPolicyName } from '../../../src/webview/ui/trustedTypes';
import { repoRoot } from '../../fakes/repoRoot';
import { allowedPolicyNames, emulateTrustedTypes, useWindow, type TrustedTypesEmulation } from './trustedTypesEmulation';

const csp = contentSecurityPolicy('https://resources.webview.test', 'bm9uY2U=');

const answer = [
  '<frameset><frame src="javascript:alert(1)"></frameset>',
  '# Title with [a link](https://example.com/docs) and [mail](mailto:a@example.com)',
  '```ts\nconst answer: number = 42; // <b>not bold</b>\nfunction f() { return "x"; }\n```',
  '![chart](https://example.com/c.png) <img src=x onerror=alert(1)>',
  '<svg><script>alert(1)</script></svg><template><b>t</b></template>',
  '| a | b |\n|---|---|\n| `x<y>` | <i>ok</i> |',
].join('\n\n');

describe('webview Content Security Policy', () => {
  it('enforces Trusted Types with the sanitizer policy as the only one', () => {
    const directives = csp.split(';').map(part => part.trim());
    assert.ok(directives.includes("require-trusted-types-for 'script'"), csp);
    assert.ok(directives.includes(`trusted-types ${sanitizerPolicyName}`), csp);
    assert.deepEqual(allowedPolicyNames(csp), ['byok-sanitizer']);
    assert.ok(!csp.includes('allow-duplicates'), csp);
    assert.ok(!csp.includes("'unsafe-"), csp);
  });

  it('keeps the rest locked down: no data: images, no remote anything, one nonce script', () => {
    const directives = new Map(csp.split(';').map(part => part.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('img-src'), ['https://resources.webview.test']);
    assert.deepEqual(directives.get('font-src'), ['https://resources.webview.test']);
    assert.deepEqual(directives.get('script-src'), ["'nonce-bm9uY2U='"]);
    for (const name of ['connect-src', 'frame-src', 'form-action', 'base-uri']) assert.deepEqual(directives.get(name), ["'none'"], name);
    assert.ok(!csp.includes('data:'), csp);
  });
});

describe('webview renderer under Trusted Types', function () {
  // jsdom renders in milliseconds, not microseconds; a streamed answer is many renders.
  this.timeout(60_000);
  let emulation: TrustedTypesEmulation;
  useWindow(() => (emulation = emulateTrustedTypes(allowedPolicyNames(csp))));

  it('the emulation refuses strings in HTML sinks (so the tests below are not vacuous)', () => {
    const element = document.createElement('div');
    assert.throws(() => { element.innerHTML = '<b>x</b>'; }, /TrustedHTML/);
    assert.throws(() => element.insertAdjacentHTML('beforeend', '<b>x</b>'), /TrustedHTML/);
    assert.throws(() => new window.DOMParser().parseFromString('<b>x</b>', 'text/html'), /TrustedHTML/);
    assert.equal(emulation.violations.length, 3);
  });

  it('renders markdown, highlighted code, links and a <frameset> answer with only the sanitizer policy', () => {
    const container = document.createElement('div');
    container.append(renderMarkdownFragment(answer));
    assert.deepEqual(emulation.violations, []);
    assert.deepEqual(emulation.policies, ['byok-sanitizer'], 'DOMPurify did not create its own "dompurify" policy');
    assert.equal(container.querySelector('.render-note'), null, container.innerHTML);
    assert.ok(container.querySelector('.code-block code .hljs-keyword'), 'the code is highlighted');
    assert.equal(container.querySelector('.code-block code')?.textContent, 'const answer: number = 42; // <b>not bold</b>\nfunction f() { return "x"; }');
    assert.equal(container.querySelector('.code-block code b'), null);
    assert.deepEqual(Array.from(container.querySelectorAll('[data-href]')).map(link => link.getAttribute('data-href')),
      ['https://example.com/docs', 'https://example.com/c.png']);
    for (const tag of ['frameset', 'frame', 'svg', 'script', 'template', 'img']) assert.equal(container.querySelector(tag), null, tag);
    assert.equal(container.querySelector('td i')?.textContent, 'ok');
  });

  it('streams the same answer in chunks of several sizes with no refused sink', () => {
    for (const step of [3, 11, 37]) {
      const container = document.createElement('div');
      const streaming = new StreamingMarkdown(container, { schedule: callback => callback() });
      for (let offset = 0; offset < answer.length; offset += step) streaming.append(answer.slice(offset, offset + step));
      streaming.finish();
      const oneShot = document.createElement('div');
      oneShot.append(renderMarkdownFragment(answer));
      assert.equal(container.innerHTML, oneShot.innerHTML, `step ${step}`);
    }
    assert.deepEqual(emulation.violations, []);
    assert.deepEqual(emulation.policies, ['byok-sanitizer']);
  });
});

describe('webview renderer when the CSP refuses its policy', () => {
  let emulation: TrustedTypesEmulation;
  useWindow(() => (emulation = emulateTrustedTypes([])));

  it('shows answers as escaped plain text with a note instead of throwing', () => {
    const originalError = console.error;
    console.error = () => undefined;
    try {
      const container = document.createElement('div');
      container.append(renderMarkdownFragment('Hello <b>bold</b>\n\n<img src=x onerror=alert(1)>'));
      assert.ok(container.querySelector('.render-note')?.textContent?.includes(plainTextNote));
      assert.equal(container.querySelector('.plain-text-answer')?.textContent, 'Hello <b>bold</b><img src=x onerror=alert(1)>');
      assert.equal(container.querySelector('b, img'), null);

      const streamed = document.createElement('div');
      const streaming = new StreamingMarkdown(streamed, { schedule: () => undefined });
      streaming.append('Partial **answer**');
      assert.doesNotThrow(() => streaming.flush());
      assert.doesNotThrow(() => streaming.finish());
      assert.equal(streamed.querySelector('.plain-text-answer')?.textContent, 'Partial **answer**');
    } finally {
      console.error = originalError;
    }
    assert.deepEqual(emulation.policies, []);
    assert.ok(emulation.violations.every(violation => violation.startsWith('createPolicy: byok-sanitizer')), emulation.violations.join('\n'));
  });
});

describe('webview sources', () => {
  // Trusted Types makes these throw in the webview; jsdom would not notice, so they are found here.
  const sinks = [/\.innerHTML\s*[+]?=(?!=)/, /\.outerHTML\s*[+]?=(?!=)/, /insertAdjacentHTML\s*\(/, /document\.write(ln)?\s*\(/, /\.srcdoc\s*=/, /createContextualFragment\s*\(/, /setHTMLUnsafe\s*\(/];

  function sourceFiles(directory: string): string[] {
    return fs.readdirSync(directory, { withFileTypes: true }).flatMap(entry => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') ? [full] : [];
    });
  }

  it('assign no HTML strings to DOM sinks: markup is built as nodes or comes from the sanitizer', () => {
    const found: string[] = [];
    for (const file of sourceFiles(path.join(repoRoot, 'src', 'webview', 'ui'))) {
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
        const code = line.replace(/\/\/.*$/, '');
        if (sinks.some(sink => sink.test(code))) found.push(`${path.relative(repoRoot, file)}:${index + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(found, [], `HTML string sinks (they throw under the webview's Trusted Types CSP):\n${found.join('\n')}`);
  });

  it('create a Trusted Types policy only in the sanitizer', () => {
    const creators = sourceFiles(path.join(repoRoot, 'src', 'webview', 'ui'))
      .filter(file => /createPolicy\s*\(/.test(fs.readFileSync(file, 'utf8')))
      .map(file => path.relative(repoRoot, file).split(path.sep).join('/'));
    assert.deepEqual(creators, ['src/webview/ui/sanitizer.ts']);
  });
});
