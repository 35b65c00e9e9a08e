// One VS Code LM request as a turn of the shared router (feature `lm-api`), so retries before the
// first token, timeouts, the proxy, redaction, the ledger and budgets all apply. Text and complete
// tool calls are forwarded as they arrive; reasoning is not (the stable LM API has no part for it).
// Failures keep our error kind and become LanguageModelError in byokChatProvider.ts.

import { isProviderError, type ProviderError } from '../providers/errors';
import type { Router, TurnRequest } from '../router';
import { errorNotificationText, presentError } from '../errorPresentation';

export type ResponsePart =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; callId: string; name: string; input: Record<string, unknown> };

export type LanguageModelRequest = Omit<TurnRequest, 'feature'> & { providerId: string; model: string };

export async function respond(router: Pick<Router, 'turn'>, request: LanguageModelRequest, signal: AbortSignal, report: (part: ResponsePart) => void): Promise<void> {
  const turn = router.turn({ ...request, feature: 'lm-api' }, signal);
  for await (const part of turn.parts) {
    if (part.type === 'text-delta') report({ kind: 'text', text: part.text });
    else if (part.type === 'tool-call') report({ kind: 'tool-call', callId: part.id, name: part.name, input: part.input });
  }
}

/** The LanguageModelError factory that fits a kind; `undefined` means a plain LanguageModelError. */
export type LanguageModelErrorCode = 'NoPermissions' | 'Blocked' | 'NotFound' | undefined;

export interface LanguageModelFailure {
  code: LanguageModelErrorCode;
  message: string;
  /** The caller stopped the request: VS Code expects a cancellation, not an error. */
  cancelled: boolean;
}

export function describeFailure(caught: unknown, providerLabel: string, dashboardUrl?: string): LanguageModelFailure {
  if (!isProviderError(caught)) {
    return { code: undefined, message: `BYOK AI: ${caught instanceof Error ? caught.message : String(caught)}`, cancelled: false };
  }
  const info = presentError(caught, dashboardUrl);
  return { code: codeFor(caught), message: `BYOK AI · ${errorNotificationText(providerLabel, info)}`, cancelled: caught.kind === 'aborted' };
}

function codeFor(error: ProviderError): LanguageModelErrorCode {
  switch (error.kind) {
    case 'auth':
    case 'permission':
    case 'missing-key':
    case 'key-store':
      return 'NoPermissions';
    case 'quota':
    case 'rate-limit':
    case 'budget':
    case 'content-filter':
      return 'Blocked';
    case 'model-not-found':
      return 'NotFound';
    default:
      return undefined;
  }
}
