// The hook sets the host registers on the router (budgets, pricing, the ledger). Several sets may
// be active; beforeSend runs in registration order and the first refusal wins, the first price
// that answers wins, and every afterSettle sees every settled result. A failing price or
// afterSettle is logged and never breaks a turn. Never imports `vscode`.

import { ProviderError, isProviderError } from '../providers/errors';
import type { BeforeSendContext, TurnCost, TurnHooks, TurnResult } from './turn';

export class TurnHookRegistry {
  private readonly sets: TurnHooks[] = [];

  constructor(private readonly log: (message: string) => void) {}

  use(hooks: TurnHooks): { dispose(): void } {
    this.sets.push(hooks);
    return {
      dispose: () => {
        const index = this.sets.indexOf(hooks);
        if (index >= 0) this.sets.splice(index, 1);
      },
    };
  }

  /** Throws the refusal as a ProviderError; a hook that throws anything else becomes `bad-request` with its message. */
  async beforeSend(context: BeforeSendContext): Promise<void> {
    for (const hooks of [...this.sets]) {
      if (!hooks.beforeSend) continue;
      try {
        await hooks.beforeSend(context);
      } catch (caught) {
        if (isProviderError(caught)) throw caught;
        const message = caught instanceof Error ? caught.message : String(caught);
        throw new ProviderError({ kind: 'bad-request', providerId: context.providerId, message, retryable: false, cause: caught });
      }
    }
  }

  /** Prices the result, then hands it to every afterSettle; returns the (frozen) result they saw. */
  async settle(result: TurnResult): Promise<TurnResult> {
    const sets = [...this.sets];
    const cost = await this.price(sets, result);
    const settled: TurnResult = Object.freeze(cost ? { ...result, cost } : { ...result });
    for (const hooks of sets) {
      if (!hooks.afterSettle) continue;
      try {
        await hooks.afterSettle(settled);
      } catch (caught) {
        this.log(`afterSettle failed for request ${result.requestId}: ${caught instanceof Error ? caught.message : String(caught)}`);
      }
    }
    return settled;
  }

  private async price(sets: readonly TurnHooks[], result: TurnResult): Promise<TurnCost | undefined> {
    for (const hooks of sets) {
      if (!hooks.price) continue;
      try {
        const cost = await hooks.price(result);
        if (cost) return cost;
      } catch (caught) {
        this.log(`price failed for request ${result.requestId}: ${caught instanceof Error ? caught.message : String(caught)}`);
      }
    }
    return undefined;
  }
}
