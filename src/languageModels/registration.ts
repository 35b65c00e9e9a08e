// The Language Model provider registration (vendor `byok`), made at activation: VS Code asks a vendor
// for its models only after activating it for `onLanguageModelChatProvider:byok`, so the vendor must
// be registered by then. Every call is forwarded to the real provider (byokChatProvider.ts, in the
// services chunk), which loads on the first one.

import { EventEmitter, lm, type Disposable, type LanguageModelChatInformation, type LanguageModelChatProvider } from 'vscode';

export const languageModelVendor = 'byok';

/** The registered provider's model type: ours adds the provider id and model (see byokChatProvider.ts). */
type Model = LanguageModelChatInformation;

export interface LanguageModelRegistration extends Disposable {
  /** Tells VS Code the model list changed (the real provider calls it). */
  changed(): void;
}

export function registerLanguageModels(provider: () => LanguageModelChatProvider<Model>): LanguageModelRegistration {
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
