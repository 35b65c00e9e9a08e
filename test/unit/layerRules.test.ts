// The layer rules (scripts/layerRules.mjs, run by `npm run lint`) hold on the real tree, and they
// really catch violations: each rule is broken once in a synthetic tree under os.tmpdir().
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type LayerRules = typeof import('../../scripts/layerRules.mjs');

function repoRoot(): string {
  // This file runs as out/test/unit/layerRules.test.js; walk up to the package.json of byok-ai.
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'byok-ai') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json of byok-ai not found above ${__dirname}`);
    dir = parent;
  }
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

describe('layer rules (scripts/layerRules.mjs)', () => {
  let rules: LayerRules;
  let tmp: string;

  before(async () => {
    rules = (await import(path.join(repoRoot(), 'scripts', 'layerRules.mjs'))) as LayerRules;
  });
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-layers-')); });
  afterEach(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

  it('the real source tree has no violations', () => {
    const violations = rules.checkLayerRules(repoRoot());
    assert.deepEqual(violations.map(v => `${v.file}:${v.line}: ${v.message}`), []);
  });

  it('a clean synthetic tree passes', () => {
    writeTree(tmp, {
      'src/providers/sdk.ts': "export const load = () => import('openai');\n",
      'src/providers/openai.ts': "import type OpenAI from 'openai';\nimport { load } from './sdk';\nimport { z } from 'zod/mini';\nexport type T = OpenAI;\n",
      'src/providers/gemini.ts': "export type G = typeof import('@google/genai');\nimport type { Cfg } from '../config';\n",
      'src/config.ts': "import * as vscode from 'vscode';\nexport type Cfg = vscode.Uri;\n",
      'src/router.ts': "import { load } from './providers/sdk';\nconst s = 'console.log(1)'; // console.log(2)\n",
      'src/webview/protocol.ts': 'export interface Msg { type: string }\n',
      'src/webview/ui/chat.ts': "import type { Msg } from '../protocol';\nimport { marked } from 'marked';\nimport DOMPurify from 'dompurify';\n" +
        "import hljs from 'highlight.js/lib/core';\nimport ts from 'highlight.js/lib/languages/typescript';\nimport { h } from './dom';\nimport './chat.css';\n",
      'src/webview/ui/dom.ts': 'export const h = 1;\n',
      'src/webview/ui/chat.css': 'body {}\n',
      'test/unit/a.test.ts': "it('says .only( in a string only', () => {});\n",
    });
    assert.deepEqual(rules.checkLayerRules(tmp), []);
  });

  it('catches each kind of violation with its file and line', () => {
    writeTree(tmp, {
      // 1: direct and transitive vscode imports in the providers/router layer
      'src/providers/direct.ts': "// header\nimport * as vscode from 'vscode';\n",
      'src/providers/indirect.ts': "import { x } from '../util';\n",
      'src/util.ts': "import { y } from './deeper';\nexport const x = y;\n",
      'src/deeper.ts': "import { window } from 'vscode';\nexport const y = window;\n",
      'src/router/conversation.ts': "\n\nimport { x } from '../util';\n",
      // 2: protocol imports nothing, not even types
      'src/webview/protocol.ts': "import type { A } from './other';\nexport type B = A;\n",
      // 3: webview UI boundaries
      'src/webview/ui/chat.ts': "import * as vscode from 'vscode';\nimport { api } from '../../extension';\nimport _ from 'lodash';\nimport { ok } from './ok';\n",
      'src/webview/ui/ok.ts': 'export const ok = 1;\n',
      // 4: SDKs outside src/providers/sdk.ts
      'src/providers/openai.ts': "import OpenAI from 'openai';\n",
      'src/chat.ts': "import type Anthropic from '@anthropic-ai/sdk';\nconst g = await import('@google/genai');\n",
      // 5: the deprecated Gemini SDK
      'src/gemini.ts': "import { GoogleGenerativeAI } from '@google/generative-ai';\n",
      // 6: zod outside zod/mini
      'src/schema.ts': "import { z } from 'zod';\n",
      // 7: console.log in src
      'src/log.ts': 'export function f() {\n  console.log("x");\n}\n',
      // 8: .only( in tests
      'test/unit/b.test.ts': "describe('b', () => {\n  it.only('x', () => {});\n});\n",
    });
    const got = rules.checkLayerRules(tmp).map(v => `${v.file}:${v.line}`);
    const expected = [
      'src/chat.ts:1', 'src/chat.ts:2',
      'src/gemini.ts:1',
      'src/log.ts:2',
      'src/providers/direct.ts:2',
      'src/providers/indirect.ts:1',
      'src/providers/openai.ts:1',
      'src/router/conversation.ts:3',
      'src/schema.ts:1',
      'src/webview/protocol.ts:1',
      'src/webview/ui/chat.ts:1', 'src/webview/ui/chat.ts:2', 'src/webview/ui/chat.ts:3',
      'test/unit/b.test.ts:2',
    ];
    assert.deepEqual(got, expected);
    const messages = rules.formatViolations(rules.checkLayerRules(tmp));
    assert.match(messages, /src\/providers\/indirect\.ts:1: .*src\/util\.ts -> src\/deeper\.ts -> 'vscode'/);
  });

  it('lint fails the build when a rule is broken (package.json dependency too)', () => {
    writeTree(tmp, { 'package.json': '{\n  "dependencies": {\n    "@google/generative-ai": "1.0.0"\n  }\n}\n' });
    assert.deepEqual(rules.checkLayerRules(tmp).map(v => `${v.file}:${v.line}`), ['package.json:3']);
  });
});
