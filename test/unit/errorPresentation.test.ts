import assert from 'node:assert/strict';
import { errorActionLabels, errorNotificationText, keyStoreHelpUrl, presentError, presentationFor } from '../../src/errorPresentation';
import { ProviderError, fixForKind, providerErrorKinds, registerSecretForRedaction } from '../../src/providers/errors';
import { parseWebviewMessage } from '../../src/webview/protocol';

describe('error presentation table', () => {
  it('gives every kind a title, a cause, a fix and only actions the protocol accepts', () => {
    for (const kind of providerErrorKinds) {
      const presentation = presentationFor(kind, 'https://dashboard.example/keys');
      assert.ok(presentation.title.length >= 5 && presentation.title.length <= 30, `${kind}: ${presentation.title}`);
      assert.ok(presentation.cause.length > 5, kind);
      assert.ok(presentation.fix.startsWith(fixForKind[kind]), `${kind}: the fix is the kind's fix`);
      for (const action of presentation.actions) {
        assert.ok(errorActionLabels[action], `${kind}: ${action} has a label`);
        assert.ok(parseWebviewMessage({ type: 'error/action', action, providerId: 'openai' }).ok, `${kind}: ${action} is a valid message`);
      }
    }
  });

  it('offers the key-store and budget actions, and links the dashboard only where it helps', () => {
    assert.deepEqual(presentationFor('key-store').actions, ['keyStoreHelp', 'retry']);
    assert.equal(presentationFor('key-store').title, 'Key store failed');
    assert.match(presentationFor('key-store').fix, /keyring/);
    assert.deepEqual(presentationFor('budget').actions, ['raiseBudget', 'sendAnyway', 'switchProvider', 'openUsage']);
    assert.deepEqual(presentationFor('auth', 'https://platform.openai.com/api-keys').actions, ['setKey', 'openDashboard']);
    assert.match(presentationFor('auth', 'https://platform.openai.com/api-keys').fix, /Dashboard: https:\/\/platform\.openai\.com\/api-keys$/);
    // Without a dashboard (an endpoint without one) the button is not offered and the fix has no link.
    assert.deepEqual(presentationFor('auth').actions, ['setKey']);
    assert.doesNotMatch(presentationFor('auth').fix, /Dashboard:/);
    // A rate limit is not fixed on the dashboard: no link even when one is known.
    assert.doesNotMatch(presentationFor('rate-limit', 'https://x.example').fix, /Dashboard/);
    assert.ok(!presentationFor('rate-limit', 'https://x.example').actions.includes('openDashboard'));
    assert.match(keyStoreHelpUrl, /^https:\/\/code\.visualstudio\.com\//);
  });

  it('presents a ProviderError as ErrorInfo with the key redacted', () => {
    registerSecretForRedaction('very-secret-key-value-123');
    const error = new ProviderError({ kind: 'auth', providerId: 'openai', status: 401, message: 'Incorrect API key provided: very-secret-key-value-123' });
    const info = presentError(error, 'https://platform.openai.com/api-keys');
    assert.equal(info.kind, 'auth');
    assert.equal(info.title, 'Key rejected');
    assert.equal(info.status, 401);
    assert.equal(info.retryable, false);
    assert.deepEqual(info.actions, ['setKey', 'openDashboard']);
    assert.doesNotMatch(JSON.stringify(info), /very-secret-key-value-123/);
    assert.match(info.message, /\[redacted\]/);
  });

  it('never presents a key-store failure as a missing key', () => {
    const error = new ProviderError({ kind: 'key-store', providerId: 'openai', message: 'The key store failed: locked' });
    const info = presentError(error);
    assert.equal(info.title, 'Key store failed');
    assert.doesNotMatch(`${info.title} ${info.message} ${info.fix}`, /No API key is set/);
    assert.equal(errorNotificationText('OpenAI', info), `OpenAI — Key store failed: The key store failed: locked. ${info.fix}`);
  });
});
