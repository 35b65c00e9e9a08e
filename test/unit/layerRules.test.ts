// The layer rules live in eslint.config.mjs (run by `npm run lint` in the static tier). These tests
// plant one violation per rule — as text linted at a path inside the repository, nothing is written —
// and check that the project's own config reports each one with its rule and line, and that the
// allowed imports next to them pass. The whole tree is linted by `npm run lint`, not here.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { repoRoot } from '../fakes/repoRoot';

/** Planted files do not exist on disk, so typed rules see them through TypeScript's default project. */
const plantedGlobs = ['src/planted*.ts', 'src/*/planted*.ts', 'src/*/*/planted*.ts', 'src/*/*/*/planted*.ts', 'test/*/planted*.ts'];
// The planted files are a few lines each, so the default project's per-file cost does not matter here.
const plantedProjectService = { allowDefaultProject: plantedGlobs, maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 100 };

interface Finding { line: number; rule: string | null; message: string }
const restricted = '@typescript-eslint/no-restricted-imports';
const syntax = 'no-restricted-syntax';

describe('layer rules (eslint.config.mjs)', function () {
  // The first lint starts TypeScript's project service (several seconds on a busy 2-core machine).
  this.timeout(120_000);
  let eslint: ESLint;

  before(() => {
    eslint = new ESLint({
      cwd: repoRoot,
      overrideConfig: { languageOptions: { parserOptions: { projectService: plantedProjectService } } },
    });
  });

  const byPosition = (a: Finding, b: Finding) => a.line - b.line || String(a.rule).localeCompare(String(b.rule));

  async function lint(file: string, code: string, linter = eslint): Promise<Finding[]> {
    assert.match(path.basename(file), /^planted/, 'planted files are named planted* (see plantedGlobs)');
    const [result] = await linter.lintText(code, { filePath: path.join(repoRoot, file) });
    const messages: Linter.LintMessage[] = result?.messages ?? [];
    return messages.map(message => ({ line: message.line, rule: message.ruleId, message: message.message })).sort(byPosition);
  }

  /** Lints `code` at `file` and asserts exactly these [line, rule, message pattern] findings. */
  async function expectFindings(file: string, code: string, expected: Array<[number, string, RegExp]>, linter = eslint): Promise<void> {
    const found = await lint(file, code, linter);
    const wanted = expected.map(([line, rule, pattern]) => ({ line, rule, pattern })).sort((a, b) => byPosition({ ...a, message: '' }, { ...b, message: '' }));
    assert.deepEqual(found.map(each => `${each.line} ${each.rule}`), wanted.map(each => `${each.line} ${each.rule}`), JSON.stringify(found, null, 1));
    wanted.forEach((each, index) => assert.match(found[index]!.message, each.pattern));
  }

  /**
   * A linter that applies to `planted` the layer rules the project config gives the real file `real`
   * (a zone keyed to one file, like src/router.ts, cannot be planted at its own path without
   * shadowing the real file).
   */
  async function linterWithRulesOf(real: string, planted: string): Promise<ESLint> {
    const config = (await eslint.calculateConfigForFile(path.join(repoRoot, real))) as Linter.Config;
    const rules = Object.fromEntries([restricted, syntax].map(rule => [rule, config.rules![rule]!]));
    return new ESLint({
      cwd: repoRoot,
      overrideConfig: [
        { languageOptions: { parserOptions: { projectService: plantedProjectService } } },
        { files: [planted], rules },
      ],
    });
  }


  it('providers/ never import vscode: import, require() and import()', async () => {
    await expectFindings('src/providers/plantedVscode.ts',
      "// header\nimport * as vscode from 'vscode';\nexport const a = vscode;\nexport const b = require('vscode');\nexport const c = import('vscode');\n", [
        [2, restricted, /providers\/ and the router never import vscode/],
        [4, '@typescript-eslint/no-require-imports', /require/],
        [4, syntax, /never import vscode/],
        [5, syntax, /never import vscode/],
      ]);
  });

  it('providers/ is a closed layer, so vscode cannot come in through another src file', async () => {
    await expectFindings('src/providers/plantedIndirect.ts',
      "import { createLog } from '../log';\nimport { ProviderError } from './errors';\nexport const a = [createLog, ProviderError];\n", [
        [1, restricted, /providers\/ imports only other files in providers\//],
      ]);
  });

  it('the router imports only providers/ and router/, never vscode', async () => {
    await expectFindings('src/router/plantedUtil.ts',
      "\n\nimport { createLog } from '../log';\nimport { ProviderError } from '../providers/errors';\nimport { Router } from '../router';\nimport { x } from './turn';\nexport const a = [createLog, ProviderError, Router, x];\n", [
        [3, restricted, /the router imports only providers\/ and router\//],
      ]);
  });

  it('src/router.ts itself imports only ./providers/ and ./router/', async () => {
    const linter = await linterWithRulesOf('src/router.ts', 'src/plantedRouter.ts');
    await expectFindings('src/plantedRouter.ts', [
      "import { StatusBar } from './statusBar';",
      "import { ProviderError } from './providers/errors';",
      "import { complete } from './router/conversation';",
      "import * as vscode from 'vscode';",
      'export const all = [StatusBar, ProviderError, complete, vscode];',
    ].join('\n'), [
      [1, restricted, /the router imports only providers\/ and router\//],
      [4, restricted, /never import vscode/],
    ], linter);
  });

  it('webview/protocol.ts imports nothing, not even types', async () => {
    const linter = await linterWithRulesOf('src/webview/protocol.ts', 'src/webview/plantedProtocol.ts');
    await expectFindings('src/webview/plantedProtocol.ts',
      "import type { A } from './other';\nexport type B = A;\nexport type C = typeof import('./x');\n", [
        [1, restricted, /the dependency-free wire format/],
        [3, syntax, /the dependency-free wire format/],
      ], linter);
  });

  it('providers/sdk.ts may load the SDKs, still never vscode', async () => {
    const linter = await linterWithRulesOf('src/providers/sdk.ts', 'src/providers/plantedSdk.ts');
    await expectFindings('src/providers/plantedSdk.ts',
      "export const load = () => import('openai');\nimport type OpenAI from 'openai';\nexport type T = OpenAI;\nexport const v = import('vscode');\n", [
        [4, syntax, /never import vscode/],
      ], linter);
  });

  it('the webview UI imports only its own files, the protocol and marked/dompurify/highlight.js', async () => {
    await expectFindings('src/webview/ui/plantedChat.ts', [
      "import * as vscode from 'vscode';",
      "import { api } from '../../extension';",
      "import _ from 'lodash';",
      "import { html } from '../html';",
      "import type { HostToWebview } from '../protocol';",
      "import { marked } from 'marked';",
      "import DOMPurify from 'dompurify';",
      "import hljs from 'highlight.js/lib/core';",
      "import typescript from 'highlight.js/lib/languages/typescript';",
      "import { h } from './dom';",
      "import './chat.css';",
      'export const all = [vscode, api, _, html, marked, DOMPurify, hljs, typescript, h];',
      'export type M = HostToWebview;',
    ].join('\n'), [
      [1, restricted, /only the packages marked, dompurify and highlight\.js/],
      [2, restricted, /imports only its own files in src\/webview\/ui and src\/webview\/protocol\.ts/],
      [3, restricted, /only the packages marked/],
      [4, restricted, /imports only its own files/],
    ]);
  });

  it('the UI zone holds in subfolders too (paths are checked per folder depth)', async () => {
    await expectFindings('src/webview/ui/chat/plantedTranscript.ts', [
      "import type { HostToWebview } from '../../protocol';",
      "import { h } from '../dom';",
      "import { ChatViewProvider } from '../../chatViewProvider';",
      "import { x } from './reducer';",
      'export const all = [h, ChatViewProvider, x];',
      'export type M = HostToWebview;',
    ].join('\n'), [
      [3, restricted, /imports only its own files/],
    ]);
  });

  it('chat/ and config/ import from webview/ only the protocol', async () => {
    await expectFindings('src/chat/plantedController.ts', [
      "import type { HostToWebview } from '../webview/protocol';",
      "import { ChatViewProvider } from '../webview/chatViewProvider';",
      "import { renderHtml } from '../webview/html';",
      "import { Router } from '../router';",
      'export const all = [ChatViewProvider, renderHtml, Router];',
      'export type M = HostToWebview;',
    ].join('\n'), [
      [2, restricted, /chat\/ and config\/ may import from webview\/ only protocol\.ts/],
      [3, restricted, /only protocol\.ts/],
    ]);
    await expectFindings('src/config/store/plantedSchema.ts', "import { h } from '../../webview/ui/dom';\nexport const a = h;\n", [
      [1, restricted, /only protocol\.ts/],
    ]);
  });

  it('SDKs: value imports only in providers/sdk.ts, types only under providers/', async () => {
    await expectFindings('src/providers/plantedOpenai.ts',
      "import OpenAI from 'openai';\nimport type Anthropic from '@anthropic-ai/sdk';\nexport type G = typeof import('@google/genai');\nexport const a = OpenAI;\nexport type B = Anthropic;\n", [
        [1, restricted, /an SDK is loaded only by src\/providers\/sdk\.ts/],
      ]);
    await expectFindings('src/plantedChat.ts',
      "import type Anthropic from '@anthropic-ai/sdk';\nexport async function f() { return import('@google/genai/web'); }\nexport type O = typeof import('openai');\nexport type B = Anthropic;\n", [
        [1, restricted, /SDK types belong in src\/providers/],
        [2, syntax, /an SDK is loaded only by src\/providers\/sdk\.ts/],
        [3, syntax, /SDK types belong in src\/providers/],
      ]);
  });

  it('the deprecated Gemini SDK, zod outside zod/mini and console.log in src/', async () => {
    await expectFindings('src/plantedMisc.ts', [
      "import { GoogleGenerativeAI } from '@google/generative-ai';",
      "import { z } from 'zod';",
      "import * as mini from 'zod/mini';",
      'export function f() {',
      '  console.log("x");',
      '  console.error("allowed");',
      '  return [GoogleGenerativeAI, z, mini];',
      '}',
    ].join('\n'), [
      [1, restricted, /'@google\/generative-ai' is deprecated/],
      [2, restricted, /import zod as 'zod\/mini'/],
      [5, 'no-console', /console/],
    ]);
    await expectFindings('test/unit/plantedGemini.ts', "import { GoogleGenerativeAI } from '@google/generative-ai';\nexport const a = GoogleGenerativeAI;\n", [
      [1, restricted, /deprecated/],
    ]);
  });

  it('no .only left in tests (a string that says .only( is fine)', async () => {
    await expectFindings('test/unit/plantedOnly.ts',
      "describe('b', () => {\n  it.only('x', () => {});\n  it('says .only( in a string only', () => {});\n  describe.only('y', () => {});\n});\n", [
        [2, syntax, /\.only left in a test/],
        [4, syntax, /\.only left in a test/],
      ]);
  });

  it('floating promises are caught (type-aware), void and await are fine', async () => {
    await expectFindings('src/plantedPromises.ts', [
      'async function save(): Promise<void> {}',
      'export async function run(): Promise<void> {',
      '  save();',
      '  void save();',
      '  await save();',
      '  save().then(() => undefined);',
      '  save().catch(() => undefined);',
      '}',
    ].join('\n'), [
      [3, '@typescript-eslint/no-floating-promises', /Promises must be awaited/],
      [6, '@typescript-eslint/no-floating-promises', /Promises must be awaited/],
    ]);
  });
});
