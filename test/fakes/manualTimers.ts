// Timers that only move when a test says so, for the request guard's connect / first-token / idle
// limits (GuardTimers). A fault test waits for the state it wants (a timer of the idle length is
// armed), then advances time: no wall-clock window to hit, so a slow machine cannot make it flake.
import type { GuardTimers } from '../../src/providers/streamGuards';

interface PendingTimer {
  id: number;
  /** Virtual time at which it fires. */
  due: number;
  /** The delay it was armed with. */
  milliseconds: number;
  callback: () => void;
}

export class ManualTimers implements GuardTimers {
  /** Virtual milliseconds since construction. */
  now = 0;
  /** How many timers were armed so far (a re-arm counts again). */
  armed = 0;
  private nextId = 1;
  private readonly pending = new Map<number, PendingTimer>();
  private armListeners: (() => void)[] = [];

  setTimeout(callback: () => void, milliseconds: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { id, due: this.now + milliseconds, milliseconds, callback });
    this.armed++;
    const listeners = this.armListeners;
    this.armListeners = [];
    for (const listener of listeners) listener();
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.pending.delete(handle);
  }

  /** The delays of the timers armed and not yet fired or cleared. */
  pendingDelays(): number[] {
    return [...this.pending.values()].map(timer => timer.milliseconds);
  }

  /** Whether a timer armed with exactly `milliseconds` is pending. */
  hasPending(milliseconds: number): boolean {
    return this.pendingDelays().includes(milliseconds);
  }

  /** Resolves true the next time any timer is armed, or false after `limitMs` of real time without one. */
  nextArm(limitMs = 250): Promise<boolean> {
    return new Promise(resolve => {
      const timer = setTimeout(() => resolve(false), limitMs);
      this.armListeners.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Resolves once a timer of exactly `milliseconds` is pending; rejects after `limitMs` of real time. */
  async untilPending(milliseconds: number, limitMs = 2000): Promise<void> {
    const deadline = performance.now() + limitMs;
    while (!this.hasPending(milliseconds)) {
      if (performance.now() > deadline) throw new Error(`no ${milliseconds} ms timer was armed within ${limitMs} ms (pending: ${this.pendingDelays().join(', ') || 'none'})`);
      await new Promise(resolve => setTimeout(resolve, 2));
    }
  }

  /** Moves virtual time forward, firing every timer that falls due on the way, in order. */
  advance(milliseconds: number): void {
    const target = this.now + milliseconds;
    for (;;) {
      const next = [...this.pending.values()].filter(timer => timer.due <= target).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.pending.delete(next.id);
      this.now = next.due;
      next.callback();
    }
    this.now = target;
  }
}
