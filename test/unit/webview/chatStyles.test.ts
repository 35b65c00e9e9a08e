// chat.css is the one stylesheet the webview HTML links; it @imports one sheet per component.
// esbuild.mjs copies only the .css files directly in src/webview/ui to dist/webview, so every
// import must name such a file, and @import rules must come before all other rules to count.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const uiDirectory = path.resolve(__dirname, '..', '..', '..', '..', 'src', 'webview', 'ui');

describe('chat stylesheets', () => {
  it('chat.css imports every component sheet, each a file next to it, before any rule', () => {
    const css = fs.readFileSync(path.join(uiDirectory, 'chat.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const imports = Array.from(css.matchAll(/@import\s+url\("([^"]+)"\);/g), match => match[1] ?? '');
    // The shared controls come first: a later sheet (the composer's chip remove button) refines them.
    assert.equal(imports[0], 'chatControls.css');
    assert.deepEqual([...imports].sort(), [
      'chatComposer.css', 'chatControls.css', 'chatErrorBox.css', 'chatHeader.css', 'chatHistory.css', 'chatMarkdown.css', 'chatMetaLine.css', 'chatTranscript.css',
    ]);
    for (const file of imports) {
      assert.ok(!file.includes('/'), `${file} must sit next to chat.css`);
      assert.ok(fs.statSync(path.join(uiDirectory, file)).isFile(), `${file} is missing`);
    }
    const firstRule = css.search(/[^\s@][^;{]*\{/);
    const lastImport = css.lastIndexOf('@import');
    assert.ok(lastImport < firstRule, '@import must precede every rule');
  });
});
