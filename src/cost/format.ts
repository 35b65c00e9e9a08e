// How a cost reads wherever it is shown (under an answer, in a diff title, in the dashboard).
// Unknown is never $0: a request without a price reads "unpriced".

import type { TurnCost } from '../router/turn';

/** Below this a non-zero cost would round to $0.0000, which reads as free. */
const smallestShown = 0.0001;

export function formatUsd(cost: { usd?: number; source?: TurnCost['source'] } | undefined): string | undefined {
  if (!cost) return undefined;
  const usd = cost.usd;
  if (usd === undefined || !Number.isFinite(usd)) return 'unpriced';
  if (usd === 0) return '$0.00';
  if (usd < smallestShown) return '< $0.0001';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
