// A 5 MB answer for each SDK family: generated (no recording is anywhere near this size) as tens of
// thousands of deltas in the family's own event format, served in network-sized writes. The text must
// arrive complete, in order and unaltered (length and SHA-256), in reasonable time.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { collect } from '../providers/providerTestSupport';
import { seededRandom } from '../seededRandom';
import { faultKey, faultProvider, faultRequest, families, relaxedTimeouts, streamHeaders, useFaultServer, watchUnhandledRejections } from './faultSupport';

const targetLength = 5 * 1024 * 1024;

/** Deterministic deltas of varied length and content, with multi-byte characters and JSON escapes. */
function generateDeltas(seed: number): string[] {
  const random = seededRandom(seed);
  const vocabulary = ['const', 'value', '=', '{', '}', '"quoted"', '\\', '\n', '\t', 'naïve', '€', '日本語', '🎉', 'résumé', '<tag>', '&amp;', 'end.'];
  const deltas: string[] = [];
  let length = 0;
  while (length < targetLength) {
    let delta = '';
    const words = 8 + Math.floor(random() * 40);
    for (let index = 0; index < words; index++) delta += `${vocabulary[Math.floor(random() * vocabulary.length)]} `;
    if (length + delta.length > targetLength) delta = delta.slice(0, targetLength - length);
    // Never end a delta on half of a surrogate pair: that is not text any provider could send.
    if (/[\uD800-\uDBFF]$/.test(delta)) delta = `${delta.slice(0, -1)}x`;
    deltas.push(delta);
    length += delta.length;
  }
  return deltas;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('faults: a 5 MB answer', function () {
  this.timeout(5000);
  watchUnhandledRejections();
  const server = useFaultServer();
  const deltas = generateDeltas(5);
  const expected = deltas.join('');
  const expectedHash = sha256(expected);

  it('the generated answer is 5 MB of text in many deltas', function () {
    assert.equal(expected.length, targetLength);
    assert.ok(deltas.length > 20_000, `${deltas.length} deltas`);
  });

  for (const family of families) {
    it(`${family.name}: every character arrives, in order (length and SHA-256), within 15 s`, async function () {
      this.timeout(25_000);
      const body = Buffer.from(family.stream(deltas));
      server.route('POST', family.path, async (_request, response) => {
        response.writeHead(200, streamHeaders);
        // 64 KB writes, honouring back-pressure, as a real server would.
        for (let offset = 0; offset < body.length; offset += 65_536) {
          if (!response.write(body.subarray(offset, offset + 65_536))) await new Promise(resolve => response.once('drain', resolve));
        }
        response.end();
      });
      const started = performance.now();
      const outcome = await collect(faultProvider(server, family, { timeouts: relaxedTimeouts }).streamChat(faultRequest(family), faultKey, new AbortController().signal));
      const elapsed = performance.now() - started;
      assert.equal(outcome.error, undefined, outcome.error?.message);
      assert.equal(outcome.foreign, undefined);
      let text = '';
      let textParts = 0;
      for (const part of outcome.parts) {
        if (part.type === 'text-delta') {
          text += part.text;
          textParts++;
        }
      }
      assert.equal(text.length, expected.length);
      assert.equal(sha256(text), expectedHash);
      assert.equal(textParts, deltas.length, 'one text part per delta: nothing merged, split or dropped');
      assert.equal(outcome.parts[outcome.parts.length - 1]?.type, 'finish');
      assert.ok(elapsed < 15_000, `${family.name} took ${Math.round(elapsed)} ms for ${Math.round(body.length / 1024 / 1024)} MB on the wire`);
    });
  }
});
