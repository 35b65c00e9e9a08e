// Sentinel proving that a failing test fails the e2e tier of `npm test`:
//   BYOK_FORCE_FAIL=e2e npm test   must print "... 1 failed" and exit non-zero.
// (BYOK_FORCE_FAIL may list several tiers: BYOK_FORCE_FAIL=unit,integration,e2e.)
import * as assert from 'node:assert/strict';

describe('forced-failure sentinel (e2e)', () => {
  it('fails only when BYOK_FORCE_FAIL names the e2e tier', () => {
    const forced = (process.env.BYOK_FORCE_FAIL ?? '').split(',').map(s => s.trim());
    assert.ok(!forced.includes('e2e'), 'BYOK_FORCE_FAIL=e2e: deliberate failure');
  });
});
