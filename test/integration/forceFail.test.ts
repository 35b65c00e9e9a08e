// Sentinel proving that a failing test fails the integration tier of `npm test`:
//   BYOK_FORCE_FAIL=integration npm test   must print "... 1 failed" and exit non-zero.
// (BYOK_FORCE_FAIL may list several tiers: BYOK_FORCE_FAIL=unit,integration,e2e.)
import * as assert from 'node:assert/strict';

describe('forced-failure sentinel (integration)', () => {
  it('fails only when BYOK_FORCE_FAIL names the integration tier', () => {
    const forced = (process.env.BYOK_FORCE_FAIL ?? '').split(',').map(s => s.trim());
    assert.ok(!forced.includes('integration'), 'BYOK_FORCE_FAIL=integration: deliberate failure');
  });
});
