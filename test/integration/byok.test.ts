// In the real extension host: keys, settings, chat through the router to a fake provider,
// cancellation, workspace attacks on key routing, and the editor commands.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ByokApi } from '../../src/extension';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { byokApi, configuration, eventually, pointProviderAt, resetUserSettings, streamSlowly } from './support';

const openaiKey = 'sk-integration-SECRET-0123456789abcdef';
const anthropicKey = 'sk-ant-integration-SECRET-0123456789abcdef';
const streamFixture = loadFixture('openai/chat-stream-text-after-tool-result-include-usage.json');

function sse(chunks: string[]): string {
  return chunks.map(text => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`).join('')
    + `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;
}

describe('BYOK AI in the extension host', function () {
  this.timeout(30_000);
  let api: ByokApi;
  let server: FakeProviderServer;
  let attacker: FakeProviderServer;
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

  before(async () => {
    api = await byokApi();
    server = await new FakeProviderServer().start();
    attacker = await new FakeProviderServer().start();
    await resetUserSettings();
    await pointProviderAt('openai', `${server.url}/v1`);
    await api.keys.set('openai', openaiKey);
  });

  // Every test starts from the same provider and model, whatever ran (or failed) before it.
  beforeEach(async () => {
    await api.settings.setEnabled('openai', true);
    await api.settings.setSelectedProvider('openai');
    await api.settings.setModel('openai', 'gpt-4o-mini');
  });

  after(async () => {
    await server.stop();
    await attacker.stop();
    await api.keys.delete('openai').catch(() => undefined);
    await api.keys.delete('anthropic').catch(() => undefined);
    await resetUserSettings();
    if (workspaceFolder) fs.rmSync(path.join(workspaceFolder, '.vscode'), { recursive: true, force: true });
  });

  beforeEach(() => server.reset());

  it('registers every contributed command', async () => {
    const extension = vscode.extensions.getExtension('byok-ai.byok-ai')!;
    const contributed: string[] = extension.packageJSON.contributes.commands.map((command: { command: string }) => command.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter(id => !registered.has(id)), []);
  });

  it('activates without loading any provider SDK', () => {
    assert.deepEqual(api.sdkModulesAtActivation, []);
    assert.deepEqual(api.lazyChunksAtActivation, [], 'dist/services.js, dist/core.js and the other chunks load after activation or on first use');
    const bundle = fs.readFileSync(path.join(vscode.extensions.getExtension('byok-ai.byok-ai')!.extensionPath, 'dist', 'extension.js'), 'utf8');
    // x-stainless-* headers are set only inside the openai and anthropic SDKs.
    assert.doesNotMatch(bundle, /x-stainless-/i, 'no SDK code inside the activation bundle');
    assert.ok(api.activatedAt.end - api.activatedAt.start < 500, `activate() took ${api.activatedAt.end - api.activatedAt.start} ms`);
  });

  it('resolves the chat view', async () => {
    await vscode.commands.executeCommand('byok.openChat');
    await eventually(() => api.chatView.isResolved, 'the chat view resolves');
  });

  it('round-trips a key per provider through SecretStorage, never into settings', async () => {
    await api.keys.set('anthropic', `  Bearer ${anthropicKey}\n`);
    assert.equal(await api.keys.get('anthropic'), anthropicKey);
    assert.equal(await api.keys.get('openai'), openaiKey);
    await api.keys.delete('anthropic');
    assert.equal(await api.keys.get('anthropic'), undefined);
    assert.equal(await api.keys.get('openai'), openaiKey, 'deleting one key leaves the others');
  });

  it('writes activation and model choice to the workspace settings', async function () {
    if (!workspaceFolder) this.skip();
    const before = configuration().inspect<Record<string, unknown>>('providers')?.workspaceValue;
    try {
      await api.settings.setEnabled('groq', true);
      await api.settings.setModel('groq', 'llama-3.1-8b-instant');
      const inspected = configuration().inspect<Record<string, { enabled?: boolean; model?: string }>>('providers');
      assert.deepEqual(inspected?.workspaceValue?.['groq'], { enabled: true, model: 'llama-3.1-8b-instant' });
      const file = fs.readFileSync(path.join(workspaceFolder!, '.vscode', 'settings.json'), 'utf8');
      assert.match(file, /"groq"/);
      assert.equal(api.settings.isEnabled('groq'), true);
      assert.equal(api.settings.model('groq'), 'llama-3.1-8b-instant');
    } finally {
      await configuration().update('providers', before, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('streams a chat answer from the fake provider through the router', async () => {
    server.replay('POST', '/v1/chat/completions', streamFixture);
    await api.chat.newChat();
    await api.chat.send('it-chat-1', 'What is the weather?');
    const answer = (await api.chat.activeTranscript()).at(-1)!;
    assert.equal(answer.role, 'assistant');
    assert.equal(answer.error, undefined, JSON.stringify(answer.error));
    assert.ok(answer.text.length > 10, answer.text);
    assert.equal(answer.meta?.providerId, 'openai');
    const chatRequests = server.requests.filter(each => each.method === 'POST');
    assert.equal(chatRequests.length, 1);
    const request = chatRequests[0]!;
    assert.equal(request.headers.authorization, `Bearer ${openaiKey}`);
    assert.equal(JSON.parse(request.body).model, 'gpt-4o-mini');
  });

  it('cancelling stops the provider response and keeps the partial answer', async () => {
    server.route('POST', '/v1/chat/completions', streamSlowly);
    await api.chat.newChat();
    const disconnected = server.whenClientDisconnects();
    const sending = api.chat.send('it-cancel', 'Count slowly');
    await eventually(async () => {
      const last = (await api.chat.activeTranscript()).at(-1);
      return last?.role === 'assistant' && last.text.length > 6;
    }, 'some of the answer streamed');
    api.chat.cancel('it-cancel');
    await sending;
    await Promise.race([disconnected, new Promise((_, reject) => setTimeout(() => reject(new Error('server connection was not closed')), 3000))]);
    const answer = (await api.chat.activeTranscript()).at(-1)!;
    assert.equal(answer.stopped, true);
    assert.match(answer.text, /^w0 /);
    assert.doesNotMatch(answer.text, /w399/);
  });

  it('a workspace .vscode/settings.json cannot redirect where a key is sent', async function () {
    if (!workspaceFolder) this.skip();
    attacker.replay('POST', '/v1/chat/completions', streamFixture);
    server.replay('GET', '/v1/models', loadFixture('openai/models-list.json'));
    attacker.replay('GET', '/v1/models', loadFixture('openai/models-list.json'));
    const settingsFile = path.join(workspaceFolder!, '.vscode', 'settings.json');
    const current = fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, 'utf8')) : {};
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    try {
      fs.writeFileSync(settingsFile, JSON.stringify({
        ...current,
        'byok.baseUrls': { openai: `${attacker.url}/v1`, anthropic: `${attacker.url}` },
        'byok.customEndpoints': [{ id: 'evil', name: 'Evil', baseUrl: `${attacker.url}/v1`, keyRequired: true }],
        'byok.selectedProvider': 'custom:evil',
      }, null, 2));
      await eventually(() => configuration().inspect('selectedProvider')?.workspaceValue === 'custom:evil', 'VS Code read the workspace settings');
      assert.equal(api.settings.baseUrl('openai'), `${server.url}/v1`);
      assert.equal(api.settings.customEndpoints().length, 0);
      assert.equal(api.settings.selectedProviderId(), 'openai', 'a workspace cannot select an endpoint it defined');
      server.replay('POST', '/v1/chat/completions', streamFixture);
      await api.chat.newChat();
      await api.chat.send('it-attack', 'hello');
      await api.providers.verify('openai');
      assert.equal(attacker.requests.length, 0, 'the attacker server received nothing');
      assert.ok(server.requests.length >= 1);
    } finally {
      fs.writeFileSync(settingsFile, JSON.stringify(current, null, 2));
    }
  });

  it('the status bar follows provider switching and shows a missing key', async () => {
    await eventually(() => /\$\(key\) OpenAI · gpt-4o-mini/.test(api.statusBar.text), `status bar shows OpenAI (was "${api.statusBar.text}")`);
    try {
      await api.settings.setSelectedProvider('anthropic');
      await eventually(() => api.statusBar.text.includes('Anthropic'), `status bar shows Anthropic (was "${api.statusBar.text}")`);
      assert.match(api.statusBar.text, /\$\(warning\)/, 'no Anthropic key → warning');
      assert.match(api.statusBar.tooltip, /No API key is set for Anthropic/);
    } finally {
      await api.settings.setSelectedProvider('openai');
    }
    await eventually(() => /\$\(key\) OpenAI · gpt-4o-mini/.test(api.statusBar.text), `status bar shows OpenAI (was "${api.statusBar.text}")`);
  });

  it('explain adds a turn to the current chat conversation', async () => {
    server.replay('POST', '/v1/chat/completions', { ...streamFixture, body: sse(['This ', 'adds ', 'numbers.']) });
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'function add(a: number, b: number) {\n  return a + b;\n}\n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 2, 1);
    await api.chat.newChat();
    await vscode.commands.executeCommand('byok.explain');
    const transcript = await api.chat.activeTranscript();
    assert.equal(transcript.length, 2);
    assert.match(transcript[0]!.text, /^Explain /);
    assert.equal(transcript[1]!.text, 'This adds numbers.');
    const chatRequest = server.requests.find(each => each.method === 'POST')!;
    assert.match(JSON.parse(chatRequest.body).messages.at(-1).content, /return a \+ b;/);
  });

  describe('refactor', () => {
    const original = 'export function total(items) {\n    let sum = 0;\n    for (const item of items) {\n        sum += item.price;\n    }\n    return sum;\n}\n';
    let editor: vscode.TextEditor;

    beforeEach(async () => {
      await configuration().update('refactor.showDiff', false, vscode.ConfigurationTarget.Global);
      const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: original });
      editor = await vscode.window.showTextDocument(document);
      editor.selection = new vscode.Selection(1, 0, 5, 0);
    });

    afterEach(async () => {
      await configuration().update('refactor.showDiff', undefined, vscode.ConfigurationTarget.Global);
    });

    it('applies exactly the extracted code as one undo step', async () => {
      server.replay('POST', '/v1/chat/completions', { ...streamFixture, body: sse(['Here you go:\n```js\n', 'const sum = items.reduce((acc, item) => acc + item.price, 0);\n', '```\nDone.']) });
      const outcome = await vscode.commands.executeCommand('byok.refactor', 'Simplify');
      assert.equal(outcome, 'applied');
      assert.equal(editor.document.getText(), 'export function total(items) {\n    const sum = items.reduce((acc, item) => acc + item.price, 0);\n    return sum;\n}\n');
      await vscode.commands.executeCommand('undo');
      assert.equal(editor.document.getText(), original, 'one undo restores the original');
    });

    it('refuses to apply when the document changed during the request', async () => {
      server.replay('POST', '/v1/chat/completions', { ...streamFixture, body: sse(['```js\nconst x = 1;\n```']) }, { dripBytes: 64, delayMs: 40 });
      const running = vscode.commands.executeCommand('byok.refactor', 'Simplify');
      await eventually(() => server.requests.some(each => each.method === 'POST'), 'the request was sent');
      await editor.edit(builder => builder.insert(new vscode.Position(0, 0), '// user edit\n'));
      assert.equal(await running, 'failed');
      assert.equal(editor.document.getText(), `// user edit\n${original}`);
    });

    it('leaves the document untouched when cancelled', async () => {
      server.replay('POST', '/v1/chat/completions', { ...streamFixture, body: sse(Array.from({ length: 200 }, (_, index) => `line${index}\n`)) }, { dripBytes: 32, delayMs: 30 });
      const running = vscode.commands.executeCommand('byok.refactor', 'Simplify');
      await eventually(() => server.requests.some(each => each.method === 'POST'), 'the request was sent');
      await new Promise(resolve => setTimeout(resolve, 200));
      await vscode.commands.executeCommand('byok.stopRequest');
      assert.equal(await running, 'cancelled');
      assert.equal(editor.document.getText(), original);
    });
  });

  it('after setting keys, verifying, chatting and failing, no key is in settings, state, logs or conversations', async () => {
    server.replay('GET', '/v1/models', { ...loadFixture('openai/error-401-invalid-api-key.json') });
    await api.providers.verify('openai');
    server.reset();
    server.replay('POST', '/v1/chat/completions', loadFixture('openai/error-401-invalid-api-key.json'));
    await api.chat.send('it-fail', 'this will fail');
    const failed = (await api.chat.activeTranscript()).at(-1)!;
    assert.equal(failed.error?.kind, 'auth');
    await api.chat.activeConversation();
    const places: string[] = [];
    const collect = (directory: string): void => {
      if (!fs.existsSync(directory)) return;
      for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) collect(full);
        else if (fs.statSync(full).size < 20_000_000) places.push(full);
      }
    };
    // The log folder, this extension's storage (conversations), and the whole User folder of
    // this VS Code: settings.json, globalState/workspaceState databases, other extensions' storage.
    const userFolder = path.dirname(path.dirname(api.directories.globalStorage));
    for (const directory of [path.dirname(api.directories.log), api.directories.storage, userFolder]) collect(directory);
    if (workspaceFolder) collect(path.join(workspaceFolder, '.vscode'));
    assert.ok(places.length > 0, 'found files to scan');
    for (const file of places) {
      const text = fs.readFileSync(file, 'latin1');
      for (const key of [openaiKey, anthropicKey]) assert.ok(!text.includes(key), `${key.slice(0, 12)}… found in ${file}`);
    }
    const settingsDump = JSON.stringify(vscode.workspace.getConfiguration('byok'));
    assert.ok(!settingsDump.includes(openaiKey));
  });
});
