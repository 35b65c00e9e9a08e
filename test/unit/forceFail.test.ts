// Sentinel proving that a failing test fails the unit tier of `npm test`:
//   BYOK_FORCE_FAIL=unit npm test   must print "... 1 failed" and exit non-zero.
// (BYOK_FORCE_FAIL may list several tiers: BYOK_FORCE_FAIL=unit,integration,e2e.)
import * as assert from 'node:assert/strict';

describe('forced-failure sentinel (unit)', () => {
  it('fails only when BYOK_FORCE_FAIL names the unit tier', () => {
    const forced = (process.env.BYOK_FORCE_FAIL ?? '').split(',').map(s => s.trim());
    assert.ok(!forced.includes('unit'), 'BYOK_FORCE_FAIL=unit: deliberate failure');
  });
});
