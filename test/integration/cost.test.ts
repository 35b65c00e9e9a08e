// In the real extension host: a chat turn lands in the usage ledger with its cost; a budget from
// the user's settings refuses a request before anything is sent, and a workspace cannot raise it;
// the usage dashboard opens. Run by the lead with the integration tier.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ByokApi } from '../../src/extension';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { byokApi, configuration, eventually, pointProviderAt, resetUserSettings } from './support';

const openaiKey = 'sk-cost-integration-SECRET-0123456789abcdef';
const streamFixture = loadFixture('openai/chat-stream-text-after-tool-result-include-usage.json');
const budgetSettings = ['budget.daily', 'budget.monthly', 'budget.perProvider', 'budget.unpriced', 'customEndpointPrices'];

function sseWithUsage(text: string, usage: { prompt_tokens: number; completion_tokens: number }): string {
  const chunk = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;
  return chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-5.4-mini-2026-03-17', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })
    + chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-5.4-mini-2026-03-17', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })
    + chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-5.4-mini-2026-03-17', choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })
    + 'data: [DONE]\n\n';
}

async function resetBudgets(): Promise<void> {
  for (const name of budgetSettings) {
    await configuration().update(name, undefined, vscode.ConfigurationTarget.Global);
    if (vscode.workspace.workspaceFolders?.length) await configuration().update(name, undefined, vscode.ConfigurationTarget.Workspace).then(undefined, () => undefined);
  }
}

describe('cost in the extension host', function () {
  this.timeout(90_000);
  let api: ByokApi;
  let server: FakeProviderServer;

  before(async () => {
    api = await byokApi();
    server = await new FakeProviderServer().start();
    await resetUserSettings();
    await resetBudgets();
    await pointProviderAt('openai', `${server.url}/v1`);
    await api.keys.set('openai', openaiKey);
    await (await api.cost.get()).clear();
  });

  beforeEach(async () => {
    server.reset();
    await api.settings.setEnabled('openai', true);
    await api.settings.setSelectedProvider('openai');
    await api.settings.setModel('openai', 'gpt-5.4-mini');
  });

  afterEach(() => resetBudgets());

  after(async () => {
    await server.stop();
    await api.keys.delete('openai').catch(() => undefined);
    await resetUserSettings();
    await (await api.cost.get()).clear();
  });

  it('activation loaded neither the price table nor any SDK', () => {
    assert.deepEqual(api.sdkModulesAtActivation, []);
  });

  it('a chat turn lands in the ledger with its cost, and the answer shows it', async () => {
    server.replay('POST', '/v1/chat/completions', { ...streamFixture, body: sseWithUsage('Four.', { prompt_tokens: 1_000, completion_tokens: 100 }) });
    await api.chat.send('it-cost', 'What is 2 + 2?');
    // gpt-5.4-mini: $0.75 / MTok in, $4.5 / MTok out.
    const expected = 1_000 * 0.75e-6 + 100 * 4.5e-6;
    const answer = (await api.chat.activeTranscript()).at(-1)!;
    assert.ok(Math.abs((answer.meta?.costUsd ?? NaN) - expected) < 1e-9, `answer cost ${answer.meta?.costUsd}`);
    const service = await api.cost.get();
    await eventually(async () => (await service.records()).some(record => record.feature === 'chat' && record.outcome === 'ok'), 'the chat turn reached the ledger');
    const record = (await service.records()).find(entry => entry.feature === 'chat' && entry.outcome === 'ok')!;
    assert.equal(record.provider, 'openai');
    assert.equal(record.servedModel, 'gpt-5.4-mini-2026-03-17');
    assert.ok(Math.abs(record.costUsd! - expected) < 1e-9);
    assert.equal(record.costSource, 'prices');
    assert.match(record.workspace, /^([0-9a-f]{12}|no-workspace)$/);
    const line = JSON.stringify(record);
    assert.ok(!line.includes('2 + 2') && !line.includes('Four') && !line.includes(openaiKey), 'no prompt, answer or key in the ledger');
    assert.match(api.cost.summaryLine() ?? '', /^Spend: \$\d+\.\d+ today/);
  });

  it('a daily budget from user settings refuses the request before it is sent; a workspace cannot raise it', async () => {
    await configuration().update('budget.daily', 0.000001, vscode.ConfigurationTarget.Global);
    if (vscode.workspace.workspaceFolders?.length) await configuration().update('budget.daily', 1000, vscode.ConfigurationTarget.Workspace).then(undefined, () => undefined);
    server.replay('POST', '/v1/chat/completions', { ...streamFixture, body: sseWithUsage('x', { prompt_tokens: 10, completion_tokens: 1 }) });
    await api.chat.send('it-budget-real', 'hello');
    const answer = (await api.chat.activeTranscript()).at(-1)!;
    assert.equal(answer.error?.kind, 'budget');
    assert.match(answer.error?.message ?? '', /daily budget is \$0\.0000, .* could cost up to/);
    assert.equal(server.requests.filter(request => request.method === 'POST').length, 0, 'no request reached the provider');
  });

  it('"BYOK AI: Show Usage" opens the dashboard panel', async () => {
    await vscode.commands.executeCommand('byok.showUsage');
    await eventually(() => vscode.window.tabGroups.all.some(group => group.tabs.some(tab => tab.label === 'BYOK AI Usage')), 'the usage panel opened');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
