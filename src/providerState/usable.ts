// The one rule for "can BYOK AI send this provider a request now". The status bar, the provider
// and model pickers, the chat's model choice and (later) the VS Code LM provider all ask it, so
// they never disagree about which providers are ready.

import type { KeyState } from '../webview/protocol';

export interface UsabilityFacts {
  /** The provider is in the catalog (a built-in or a valid custom endpoint). */
  known: boolean;
  /** Activated, or the selected provider (selecting one activates it). */
  active: boolean;
  keyRequired: boolean;
  /** Whether a key is stored; undefined while unknown (not read yet, or the store failed). */
  keyPresent: boolean | undefined;
  /** The secret store failed on its last use. */
  keyStoreFailed: boolean;
}

export type UnusableReason = 'unknown-provider' | 'key-store' | 'missing-key' | 'inactive';

export type Usability = { usable: true } | { usable: false; reason: UnusableReason };

export function usability(facts: UsabilityFacts): Usability {
  if (!facts.known) return { usable: false, reason: 'unknown-provider' };
  // While the store fails no key can be read, even one that was read before.
  if (facts.keyRequired && facts.keyStoreFailed) return { usable: false, reason: 'key-store' };
  if (facts.keyRequired && facts.keyPresent !== true) return { usable: false, reason: 'missing-key' };
  if (!facts.active) return { usable: false, reason: 'inactive' };
  return { usable: true };
}

/** What to tell the user about an unusable provider, in one sentence. */
export function describeUnusable(reason: UnusableReason, label: string): string {
  switch (reason) {
    case 'unknown-provider': return `BYOK AI does not know the provider "${label}".`;
    case 'key-store': return `The key store failed, so the ${label} key cannot be read.`;
    case 'missing-key': return `No API key is set for ${label}.`;
    case 'inactive': return `${label} is not activated.`;
  }
}

/** A key state in words, the same in the status bar and the pickers. */
export function describeKeyState(state: KeyState): string {
  switch (state) {
    case 'missing': return 'missing';
    case 'failing': return 'failing';
    case 'verified': return 'verified';
    case 'not-needed': return 'not needed';
    case 'store-failed': return 'unreadable — the key store failed';
    case 'set': return 'set, not verified yet';
  }
}
