// A minimal event emitter with the same shape as `vscode.Event`, for modules that must load in
// plain Node (the unit tier has no `vscode`): the key store and the provider state store.

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => unknown;

/** Subscribe with a listener; dispose the result to unsubscribe. Compatible with `vscode.Event<T>`. */
export type Event<T> = (listener: Listener<T>) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = listener => {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  };

  fire(value: T): void {
    // A failing listener must not stop the others (the status bar must not break the Providers view).
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        console.error('BYOK AI: an event listener failed', error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
