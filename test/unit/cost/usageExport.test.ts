import assert from 'node:assert/strict';
import { usageToCsv, usageToJson } from '../../../src/cost/exportUsage';
import type { LedgerRecord } from '../../../src/cost/ledgerRecord';
import { parseUsageMessage } from '../../../src/webview/usagePanelMessages';

const record: LedgerRecord = {
  time: Date.UTC(2026, 10, 20, 12), requestId: 'r', workspace: 'abc', feature: 'chat', provider: 'custom:x', requestedModel: '=HYPERLINK("x")', servedModel: 'a,b',
  usage: { inputTokens: 10, cacheReadTokens: 2, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 1 }, costUsd: 0.0012, costSource: 'prices', priceVersion: 'v1',
  ttftMs: 120, durationMs: 900, tokensPerSecond: 33.3, outcome: 'error', errorKind: 'server',
};

describe('cost: usage export and dashboard messages', () => {
  it('CSV: header, quoted cells, formulas defused, empty for missing values', () => {
    const lines = usageToCsv([record, { ...record, usage: undefined, costUsd: undefined, costSource: 'unpriced', servedModel: undefined, requestedModel: 'm' }]).split('\r\n');
    assert.equal(lines[0], 'time,workspace,feature,provider,requestedModel,servedModel,requests,inputTokens,cachedInputTokens,cacheWriteTokens,outputTokens,reasoningTokens,costUsd,costSource,priceVersion,timeToFirstTokenMs,durationMs,tokensPerSecond,outcome,errorKind');
    assert.equal(lines[1], `2026-11-20T12:00:00.000Z,abc,chat,custom:x,"'=HYPERLINK(""x"")","a,b",1,10,2,0,5,1,0.0012,prices,v1,120,900,33.3,error,server`);
    assert.equal(lines[2], '2026-11-20T12:00:00.000Z,abc,chat,custom:x,m,,1,,,,,,,unpriced,v1,120,900,33.3,error,server');
    assert.equal(lines[3], '');
  });

  it('JSON round-trips the records', () => {
    assert.deepEqual(JSON.parse(usageToJson([record])), [record]);
  });

  it('accepts only well-formed dashboard messages', () => {
    assert.deepEqual(parseUsageMessage({ type: 'ready', view: 'usage' }), { type: 'ready', view: 'usage' });
    assert.deepEqual(parseUsageMessage({ type: 'usage/filter', filter: { days: 90, provider: 'openai' } }), { type: 'usage/filter', filter: { days: 90, provider: 'openai' } });
    assert.deepEqual(parseUsageMessage({ type: 'usage/command', command: 'clearUsage' }), { type: 'usage/command', command: 'clearUsage' });
    assert.equal(parseUsageMessage({ type: 'usage/filter', filter: { days: 365 } }), undefined);
    assert.equal(parseUsageMessage({ type: 'usage/filter', filter: { days: 7, provider: 5 } }), undefined);
    assert.equal(parseUsageMessage({ type: 'usage/command', command: 'toString' }), undefined);
    assert.equal(parseUsageMessage({ type: 'usage/command', command: 'byok.setKey' }), undefined);
    assert.equal(parseUsageMessage('ready'), undefined);
    assert.equal(parseUsageMessage(null), undefined);
  });
});
