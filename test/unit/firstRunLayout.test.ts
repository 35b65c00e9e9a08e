// The first-run layout: which view it reveals, when it hands over to the chat, and that it stays
// out of the way on later runs and when a command fails.
import * as assert from 'node:assert/strict';
import { FirstRunLayout, firstRunKeys, layoutCommands } from '../../src/firstRunLayout';

class MemoryState {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return this.values.get(key) as T | undefined; }
  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}

class Harness {
  readonly state = new MemoryState();
  readonly commands: string[] = [];
  usable = false;
  failCommands = false;
  private listeners: Array<() => void> = [];
  readonly layout = new FirstRunLayout({
    state: this.state,
    selectedProviderUsable: () => this.usable,
    onDidChangeProviders: listener => {
      const bound = () => listener(undefined);
      this.listeners.push(bound);
      return { dispose: () => { this.listeners = this.listeners.filter(each => each !== bound); } };
    },
    executeCommand: command => {
      this.commands.push(command);
      return this.failCommands ? Promise.reject(new Error(`command '${command}' not found`)) : Promise.resolve();
    },
  });
  get listenerCount(): number { return this.listeners.length; }
  providersChanged(): void { for (const listener of [...this.listeners]) listener(); }
}

describe('first-run layout', () => {
  it('first run with no usable provider: expands Providers, then hands over to the chat once one works', () => {
    const harness = new Harness();
    harness.layout.arrange();
    assert.deepEqual(harness.commands, [layoutCommands.focusProviders]);
    assert.equal(harness.state.get(firstRunKeys.introduced), true);
    assert.equal(harness.state.get(firstRunKeys.awaitingProvider), true);

    harness.providersChanged(); // e.g. a key for another provider: the selected one still does not work
    assert.deepEqual(harness.commands, [layoutCommands.focusProviders]);

    harness.usable = true;
    harness.providersChanged();
    assert.deepEqual(harness.commands, [layoutCommands.focusProviders, layoutCommands.focusChat]);
    assert.equal(harness.state.get(firstRunKeys.awaitingProvider), undefined);
    assert.equal(harness.listenerCount, 0, 'stops listening after the hand-over');
    harness.providersChanged();
    assert.equal(harness.commands.length, 2, 'the chat is focused once only');
  });

  it('first run with a usable provider (a key-less local server): opens the sidebar, Providers stays collapsed', () => {
    const harness = new Harness();
    harness.usable = true;
    harness.layout.arrange();
    assert.deepEqual(harness.commands, [layoutCommands.showSidebar]);
    assert.equal(harness.state.get(firstRunKeys.awaitingProvider), undefined);
    assert.equal(harness.listenerCount, 0);
  });

  it('later runs leave the layout alone', () => {
    const harness = new Harness();
    harness.state.values.set(firstRunKeys.introduced, true);
    harness.layout.arrange();
    harness.usable = true;
    harness.providersChanged();
    assert.deepEqual(harness.commands, []);
  });

  it('a later run still waiting for a provider hands over when one starts working, and never at startup', () => {
    const waiting = new Harness();
    waiting.state.values.set(firstRunKeys.introduced, true);
    waiting.state.values.set(firstRunKeys.awaitingProvider, true);
    waiting.layout.arrange();
    assert.deepEqual(waiting.commands, []);
    waiting.usable = true;
    waiting.providersChanged();
    assert.deepEqual(waiting.commands, [layoutCommands.focusChat]);

    const alreadyWorks = new Harness();
    alreadyWorks.state.values.set(firstRunKeys.introduced, true);
    alreadyWorks.state.values.set(firstRunKeys.awaitingProvider, true);
    alreadyWorks.usable = true;
    alreadyWorks.layout.arrange();
    assert.deepEqual(alreadyWorks.commands, [], 'no focus change at startup');
    assert.equal(alreadyWorks.state.get(firstRunKeys.awaitingProvider), undefined);
  });

  it('a failing layout command is swallowed, and dispose stops the hand-over', async () => {
    const harness = new Harness();
    harness.failCommands = true;
    harness.layout.arrange();
    await new Promise(resolve => setImmediate(resolve)); // an unhandled rejection would fail the run
    assert.deepEqual(harness.commands, [layoutCommands.focusProviders]);
    harness.layout.dispose();
    harness.usable = true;
    harness.providersChanged();
    assert.deepEqual(harness.commands, [layoutCommands.focusProviders]);
  });
});
