import assert from 'node:assert/strict';
import { formatUsd } from '../../../src/cost/format';

describe('formatUsd', () => {
  it('4 decimals under $1, 2 decimals from $1', () => {
    assert.equal(formatUsd({ usd: 0.0123, source: 'prices' }), '$0.0123');
    assert.equal(formatUsd({ usd: 0.00012, source: 'provider' }), '$0.0001');
    assert.equal(formatUsd({ usd: 0.5, source: 'prices' }), '$0.5000');
    assert.equal(formatUsd({ usd: 1, source: 'prices' }), '$1.00');
    assert.equal(formatUsd({ usd: 12.345, source: 'prices' }), '$12.35');
  });

  it('a tiny non-zero cost never reads as free', () => {
    assert.equal(formatUsd({ usd: 0.00004, source: 'prices' }), '< $0.0001');
  });

  it('exactly free reads $0.00', () => {
    assert.equal(formatUsd({ usd: 0, source: 'free' }), '$0.00');
  });

  it('unknown is "unpriced", not $0; no cost at all shows nothing', () => {
    assert.equal(formatUsd({ source: 'unpriced' }), 'unpriced');
    assert.equal(formatUsd({}), 'unpriced');
    assert.equal(formatUsd({ usd: Number.NaN, source: 'prices' }), 'unpriced');
    assert.equal(formatUsd(undefined), undefined);
  });
});
