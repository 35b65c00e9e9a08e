// Tells the user, once, about problems they can fix: an invalid entry in their provider settings
// (when it appears, not only at activation), a failing key store, and — when they asked for it with
// `byok.keys.rotateAfterDays` — a key old enough to rotate. Each notice is shown once per distinct
// problem or provider per session; the Providers view and the status bar keep showing the state.

import * as vscode from 'vscode';
import type { Settings } from '../config/settings';
import { errorActionLabels, keyStoreHelpUrl, presentError } from '../errorPresentation';
import type { Log } from '../log';
import { keysDueForRotation } from './keyRotation';
import type { ProviderState } from './store';

export class ProviderNotices implements vscode.Disposable {
  private readonly shownProblems = new Set<string>();
  private readonly reminded = new Set<string>();
  private keyStoreNoticeShown = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly state: ProviderState, private readonly settings: Pick<Settings, 'keyRotationDays'>, private readonly log: Log) {
    this.subscriptions = [
      state.catalog.onDidChange(() => this.checkSettings()),
      state.onDidChange(() => { this.checkKeyStore(); this.checkRotation(); }),
    ];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /** Shows each new problem in the provider settings once; called at start and on every change. */
  checkSettings(): void {
    for (const problem of this.state.catalog.problems()) {
      if (this.shownProblems.has(problem)) continue;
      this.shownProblems.add(problem);
      this.log.warn(problem);
      const open = 'Open Settings';
      void vscode.window.showWarningMessage(`BYOK AI: ${problem}`, open).then(choice => {
        if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
      });
    }
  }

  private checkKeyStore(): void {
    const failure = this.state.keyStoreFailure();
    if (!failure || this.keyStoreNoticeShown) return;
    this.keyStoreNoticeShown = true;
    this.log.warn(failure.message);
    const info = presentError(failure);
    const help = errorActionLabels.keyStoreHelp;
    void vscode.window.showErrorMessage(`BYOK AI — ${info.title}: ${info.message} ${info.fix}`, help).then(choice => {
      if (choice === help) void vscode.env.openExternal(vscode.Uri.parse(keyStoreHelpUrl));
    });
  }

  private checkRotation(): void {
    const due = keysDueForRotation({
      providerIds: this.state.catalog.all().map(descriptor => descriptor.id),
      setOn: providerId => this.state.keySetOn(providerId),
      rotateAfterDays: this.settings.keyRotationDays(),
      now: new Date(),
      alreadyReminded: this.reminded,
    });
    for (const candidate of due) {
      this.reminded.add(candidate.providerId);
      const descriptor = this.state.catalog.describe(candidate.providerId);
      if (!descriptor) continue;
      const rotate = 'Open key dashboard';
      const replace = 'Set new key';
      void vscode.window.showInformationMessage(
        `BYOK AI: your ${descriptor.label} key was set on ${candidate.setOn} (${candidate.ageDays} days ago). Consider rotating it: create a new key, set it here, then revoke the old one.`,
        rotate, replace,
      ).then(choice => {
        if (choice === rotate) void vscode.env.openExternal(vscode.Uri.parse(descriptor.dashboardUrl));
        if (choice === replace) void vscode.commands.executeCommand('byok.setKey', descriptor.id);
      });
    }
  }
}
