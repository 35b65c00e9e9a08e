// The Language Model provider registration (vendor `byok`), made at activation: VS Code asks a vendor
// for its models only after activating it for `onLanguageModelChatProvider:byok`, so the vendor must
// be registered by then. Every call is forwarded to the real provider (byokChatProvider.ts, in the
// services chunk), which loads on the first one.

import { EventEmitter, lm, type Disposable, type LanguageModelChatProvider } from 'vscode';

export const languageModelVendor = 'byok';

export interface LanguageModelRegistration extends Disposable {
  /** Tells VS Code the model list changed (the real provider calls it). */
  changed(): void;
}

/** `provider`: the real provider, loaded on the first call (its models carry more fields; VS Code passes them back as given). */
export function registerLanguageModels(provider: () => LanguageModelChatProvider): LanguageModelRegistration {
  const changeEmitter = new EventEmitter<void>();
  const registration = lm.registerLanguageModelChatProvider(languageModelVendor, {
    onDidChangeLanguageModelChatInformation: changeEmitter.event,
    provideLanguageModelChatInformation: (options, token) => provider().provideLanguageModelChatInformation(options, token),
    provideLanguageModelChatResponse: (model, messages, options, progress, token) => provider().provideLanguageModelChatResponse(model, messages, options, progress, token),
    provideTokenCount: (model, text, token) => provider().provideTokenCount(model, text, token),
  });
  return {
    changed: () => changeEmitter.fire(),
    dispose: () => { registration.dispose(); changeEmitter.dispose(); },
  };
}
