// Presets in the real extension host: the workspace's .byok/prompts and .github/prompts presets
// are found (the test host opens a copy of sample-workspace/, trusted), a new user preset file is
// picked up through the file watcher, and a preset with a model override sends that request to its
// model while the user's selection stays as it was. Restricted Mode cannot be switched on inside
// this run; the unit test test/unit/presets/resolve.test.ts covers the trust filtering.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ByokApi } from '../../src/extension';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { byokApi, eventually, pointProviderAt, resetUserSettings } from './support';

const openaiKey = 'sk-preset-integration-SECRET-0123456789abcdef';
const streamFixture = loadFixture('openai/chat-stream-text-after-tool-result-include-usage.json');

describe('presets in the extension host', function () {
  this.timeout(90_000);
  let api: ByokApi;
  let server: FakeProviderServer;
  let userPreset: vscode.Uri | undefined;

  before(async () => {
    api = await byokApi();
    server = await new FakeProviderServer().start();
    await resetUserSettings();
    await pointProviderAt('openai', `${server.url}/v1`);
    await api.keys.set('openai', openaiKey);
    await api.settings.setEnabled('openai', true);
    await api.settings.setSelectedProvider('openai');
    await api.settings.setModel('openai', 'gpt-4o-mini');
  });

  after(async () => {
    if (userPreset) await vscode.workspace.fs.delete(userPreset).then(undefined, () => undefined);
    await server.stop();
    await api.keys.delete('openai').catch(() => undefined);
    await resetUserSettings();
  });

  it('finds the workspace and .github/prompts presets next to the built-ins, labelled by source', async () => {
    assert.equal(vscode.workspace.isTrusted, true, 'the test host runs with workspace trust disabled (trusted)');
    const presets = await api.presets.list();
    const byName = new Map(presets.map(preset => [preset.name, preset]));
    assert.equal(byName.get('review-cart')?.source, 'workspace');
    assert.equal(byName.get('review-cart')?.argumentHint, 'what to focus on');
    // VS Code's prompt file: no name (the file name is used), mode "ask" runs as chat.
    assert.equal(byName.get('explain-like-new')?.source, 'github');
    assert.equal(byName.get('explain-like-new')?.mode, 'chat');
    assert.equal(byName.get('simplify')?.source, 'built-in');
    const summaries = await api.presets.summaries();
    assert.equal(summaries.find(summary => summary.name === 'explain-like-new')?.sourceLabel, '.github/prompts (read-only)');
  });

  it('reads a new user preset after its file appears, and runs it on its own model for that request only', async () => {
    const folder = api.presets.userFolder;
    await vscode.workspace.fs.createDirectory(folder);
    await api.presets.list();
    userPreset = vscode.Uri.joinPath(folder, 'override-model.prompt.md');
    await vscode.workspace.fs.writeFile(userPreset, new TextEncoder().encode([
      '---', 'name: override-model', 'description: Uses its own model', 'provider: openai', 'model: gpt-preset-override', '---', 'Say hello about $ARGUMENTS',
    ].join('\n')));
    await eventually(async () => (await api.presets.find('override-model')) !== undefined, 'the watcher to pick up the new preset file');

    server.reset();
    server.replay('POST', '/v1/chat/completions', streamFixture);
    const ran = await vscode.commands.executeCommand<boolean>('byok.runPreset', 'override-model', 'presets');
    assert.equal(ran, true);
    const request = server.requests.find(each => each.method === 'POST');
    assert.ok(request, 'the fake provider got the request');
    const body = JSON.parse(request.body) as { model: string; messages: { role: string; content: unknown }[] };
    assert.equal(body.model, 'gpt-preset-override');
    assert.match(JSON.stringify(body.messages.at(-1)?.content), /Say hello about presets/);
    // The selection is unchanged.
    assert.equal(api.settings.selectedProviderId(), 'openai');
    assert.equal(api.settings.model('openai'), 'gpt-4o-mini');
    // The question shows as the slash command, with the preset chip.
    const transcript = await api.chat.activeTranscript();
    const question = transcript.filter(message => message.role === 'user').at(-1);
    assert.equal(question?.text, '/override-model presets');
    assert.equal(question?.preset?.name, 'override-model');
    assert.equal(question?.preset?.source, 'user');
  });

  it('checks an open preset file\'s front matter and shows the problems as diagnostics', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test host opens a folder');
    const file = vscode.Uri.joinPath(folder.uri, '.byok', 'prompts', 'broken-header.prompt.md');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('---\nname: broken header\n---\nHi ${nope}'));
    try {
      await vscode.window.showTextDocument(file);
      await eventually(() => vscode.languages.getDiagnostics(file).some(each => each.severity === vscode.DiagnosticSeverity.Error), 'a diagnostic for the broken name');
      const [first] = vscode.languages.getDiagnostics(file);
      assert.equal(first?.range.start.line, 1);
      assert.match(first?.message ?? '', /not a usable preset name/);
      api.presets.invalidate();
      assert.equal((await api.presets.list()).some(preset => preset.name === 'broken-header' || preset.name === 'broken header'), false, 'the broken preset is skipped');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  it('refuses a preset whose provider is not set up, sending nothing', async () => {
    const folder = api.presets.userFolder;
    const file = vscode.Uri.joinPath(folder, 'not-set-up.prompt.md');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('---\nprovider: anthropic\n---\nHi'));
    try {
      api.presets.invalidate();
      server.reset();
      const ran = await vscode.commands.executeCommand<boolean>('byok.runPreset', 'not-set-up', '');
      assert.equal(ran, false);
      assert.equal(server.requests.length, 0);
    } finally {
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });
});
