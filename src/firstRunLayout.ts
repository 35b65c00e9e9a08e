// The sidebar's layout on first run. The manifest does most of it: the Chat view has the larger
// `initialSize` and the Providers view is contributed with `visibility: "collapsed"`, so once a
// provider works the chat has the sidebar's height and Providers is one click away (its header).
//
// VS Code has no API to collapse or expand a view: `<viewId>.focus` reveals and expands one, and
// after that the user's own layout (remembered by VS Code) wins. So this only steps in on the first
// run, and only while no provider is usable:
//  - first run, the selected provider already usable (e.g. a key-less local server): open the
//    sidebar; Providers stays collapsed.
//  - first run, nothing usable yet: focus Providers (which expands it) so setting a key is in view,
//    and once the selected provider becomes usable, focus the Chat view. Providers then stays
//    expanded until the user collapses it: that is the one thing the API cannot do for us.
// Imports only types, so it is unit-tested without VS Code.
import type { Disposable, Event } from 'vscode';

export const firstRunKeys = {
  introduced: 'byok.introduced',
  /** Set while Providers was expanded for setup and no provider has worked since. */
  awaitingProvider: 'byok.awaitingProvider',
} as const;

export const layoutCommands = {
  showSidebar: 'workbench.view.extension.byok',
  focusProviders: 'byok.providersView.focus',
  focusChat: 'byok.chatView.focus',
} as const;

export interface FirstRunLayoutOptions {
  /** Where the two flags persist (the extension's globalState). */
  state: { get<T>(key: string): T | undefined; update(key: string, value: unknown): Thenable<void> };
  /** The one usable() rule, for the selected provider. */
  selectedProviderUsable(): boolean;
  onDidChangeProviders: Event<void>;
  executeCommand(command: string): Thenable<unknown>;
}

export class FirstRunLayout implements Disposable {
  private watching: Disposable | undefined;

  constructor(private readonly options: FirstRunLayoutOptions) {}

  /** Call once key presence is known (before that, every provider that needs a key looks unusable). */
  arrange(): void {
    const { state } = this.options;
    if (state.get<boolean>(firstRunKeys.introduced)) {
      if (!state.get<boolean>(firstRunKeys.awaitingProvider)) return;
      // A later session: a provider that works already needs no focus change (that would steal focus at startup).
      if (this.options.selectedProviderUsable()) void state.update(firstRunKeys.awaitingProvider, undefined);
      else this.watchForUsableProvider();
      return;
    }
    void state.update(firstRunKeys.introduced, true);
    if (this.options.selectedProviderUsable()) {
      this.run(layoutCommands.showSidebar);
      return;
    }
    void state.update(firstRunKeys.awaitingProvider, true);
    this.run(layoutCommands.focusProviders);
    this.watchForUsableProvider();
  }

  dispose(): void {
    this.watching?.dispose();
    this.watching = undefined;
  }

  private watchForUsableProvider(): void {
    if (this.watching) return;
    this.watching = this.options.onDidChangeProviders(() => {
      if (this.options.selectedProviderUsable()) this.providerWorks();
    });
  }

  private providerWorks(): void {
    this.dispose();
    void this.options.state.update(firstRunKeys.awaitingProvider, undefined);
    this.run(layoutCommands.focusChat);
  }

  /** A layout command that fails (e.g. the view is gone in a future VS Code) must never break activation. */
  private run(command: string): void {
    void Promise.resolve(this.options.executeCommand(command)).catch(() => undefined);
  }
}
