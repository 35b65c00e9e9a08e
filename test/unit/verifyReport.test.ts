import assert from 'node:assert/strict';
import { providerErrorKinds, type ProviderErrorKind } from '../../src/providers/errors';
import { presentationFor } from '../../src/errorPresentation';
import { buildVerifyReport, diagnose, type VerifyReportEntry } from '../../src/report/verifyReport';

const entry = (kind?: ProviderErrorKind, overrides: Partial<VerifyReportEntry> = {}): VerifyReportEntry => ({
  providerId: 'openai', label: 'OpenAI', keyPresent: true, keyRequired: true, active: true,
  baseUrl: 'https://api.openai.com/v1', defaultBaseUrl: 'https://api.openai.com/v1', dashboardUrl: 'https://platform.openai.com/api-keys',
  result: kind ? { ok: false, latencyMs: 80, error: { kind, message: `failed with ${kind}` } } : { ok: true, latencyMs: 42, modelCount: 7 },
  ...overrides,
});

describe('verify-all report', () => {
  it('diagnoses every error kind with a cause and a fix', () => {
    for (const kind of providerErrorKinds) {
      const diagnosis = diagnose(entry(kind));
      assert.ok(diagnosis, kind);
      assert.ok(diagnosis.cause.length > 5 && diagnosis.fix.length > 5, kind);
    }
    assert.match(diagnose(entry('auth'))!.cause, /Bad key/);
    assert.match(diagnose(entry('quota'))!.cause, /credit/);
    assert.match(diagnose(entry('rate-limit'))!.cause, /Rate-limited/);
    assert.match(diagnose(entry('network'))!.cause, /proxy/);
    assert.match(diagnose(entry('network', { baseUrl: 'http://127.0.0.1:1/v1' }))!.cause, /base URL/);
    assert.match(diagnose(entry('model-not-found', { baseUrl: 'https://gateway.example' }))!.cause, /base URL/);
    assert.equal(diagnose(entry()), undefined);
  });

  it('says a missing key is the problem without running anything', () => {
    const diagnosis = diagnose(entry(undefined, { keyPresent: false, result: undefined }));
    assert.match(diagnosis!.cause, /No key/);
  });

  it('renders a table row per provider and a fix section per failure, with dashboard links', () => {
    const entries = [
      entry(), entry('quota', { providerId: 'deepseek', label: 'DeepSeek', dashboardUrl: 'https://platform.deepseek.com/api_keys' }),
      entry(undefined, { providerId: 'groq', label: 'Groq', keyPresent: false, result: undefined }),
      entry(undefined, { providerId: 'xai', label: 'xAI', keyPresent: false, active: false, result: undefined }),
    ];
    const report = buildVerifyReport(entries, new Date('2026-11-23T12:00:00Z'));
    assert.match(report, /\*\*1 of 2 checked providers working\*\* \(2 without a key were skipped\)/);
    assert.match(report, /\| OpenAI \| set \| — \| ✅ ok \| 42 ms \| 7 \|/);
    assert.match(report, /\| DeepSeek \| set \| — \| ❌ quota \| 80 ms \| — \|/);
    assert.match(report, /\| Groq \| missing \| — \| skipped \| — \| — \|/);
    assert.match(report, /### DeepSeek[\s\S]*Key dashboard: https:\/\/platform\.deepseek\.com\/api_keys/);
    assert.match(report, /### Groq[\s\S]*No key is set/);
    assert.doesNotMatch(report, /### OpenAI/);
    assert.doesNotMatch(report, /### xAI/, 'an inactive provider without a key is not a problem to fix');
    assert.match(report, /\| xAI \| missing \| — \| skipped \|/);
  });

  it('takes causes and fixes from the error presentation table, with the dashboard link', () => {
    const diagnosis = diagnose(entry('auth'))!;
    assert.equal(diagnosis.cause, presentationFor('auth').cause);
    assert.match(diagnosis.fix, /Dashboard: https:\/\/platform\.openai\.com\/api-keys/);
    assert.equal(diagnose(entry('budget'))!.cause, presentationFor('budget').cause);
  });

  it('shows when each key was set, never the key', () => {
    const report = buildVerifyReport([
      entry(undefined, { keySetOn: '2026-11-30' }),
      entry('auth', { providerId: 'groq', label: 'Groq', keySetOn: '2025-01-02' }),
      entry(undefined, { providerId: 'xai', label: 'xAI', keyPresent: false, keySetOn: '2024-01-01', result: undefined }),
    ], new Date('2026-12-01T00:00:00Z'));
    assert.match(report, /\| OpenAI \| set \| 2026-11-30 \| ✅ ok \|/);
    assert.match(report, /\| Groq \| set \| 2025-01-02 \| ❌ auth \|/);
    assert.match(report, /### Groq[\s\S]*- Key set: 2025-01-02/);
    assert.match(report, /\| xAI \| missing \| — \|/, 'no date without a key');
  });

  it('names a failing key store in a banner, in the key column and in the fix, never as a missing key', () => {
    const keyStoreError = { message: 'The key store failed: VS Code\'s secret storage could not read the key (keyring locked).' };
    const entries = [
      entry(undefined, { keyPresent: false, keyStoreError, result: undefined }),
      entry(undefined, { providerId: 'groq', label: 'Groq', keyPresent: false, active: false, keyStoreError, result: undefined }),
      entry(undefined, { providerId: 'custom:local', label: 'Local', keyRequired: false, keyPresent: false, keyStoreError, result: { ok: true, latencyMs: 3 } }),
    ];
    const diagnosis = diagnose(entries[0]!)!;
    assert.match(diagnosis.cause, /key store failed/);
    assert.match(diagnosis.fix, /keyring/);
    const report = buildVerifyReport(entries, new Date('2026-12-01T00:00:00Z'));
    assert.match(report, /> \*\*Key store failed\.\*\* The key store failed: VS Code's secret storage could not read the key \(keyring locked\)\./);
    assert.match(report, /> Fix: .*keyring/);
    assert.match(report, /\| OpenAI \| key store failed \| — \| skipped \|/);
    assert.match(report, /\| Local \| not needed \| — \| ✅ ok \|/, 'a keyless endpoint is unaffected');
    assert.match(report, /### OpenAI[\s\S]*- Cause: The key store failed/);
    assert.doesNotMatch(report, /### Groq/, 'an inactive provider is only in the banner');
    assert.doesNotMatch(report, /No key is set/);
  });
});
