// BYOK AI as a VS Code Language Model chat provider (vendor `byok`): VS Code's chat and any extension
// using `vscode.lm` can pick our providers' models, paid with the user's keys and held to their
// budgets. A thin adapter: the list, the message conversion and the turn live in vscode-free modules.
// The registration itself is made at activation (registration.ts), which forwards every call here.
// @see https://code.visualstudio.com/api/extension-guides/ai/language-model-chat-provider

import * as vscode from 'vscode';
import type { ProviderState } from '../providerState/store';
import type { Router } from '../router';
import { chatModelInformation, informationSignature, parseLanguageModelId, type ChatModelInformation, type ModelSource } from './modelInformation';
import { countTokens, toChatMessages, toToolDefinitions, toToolMode, toolResultText, type RequestMessage, type RequestPart } from './requestMessages';
import { describeFailure, respond } from './respond';

export interface ByokChatProviderDependencies {
  providers: ProviderState;
  router: Pick<Router, 'turn'>;
  /** The output limit the chat uses, when the caller names none. */
  maxOutputTokens(): number;
  /** Tells VS Code the model list changed (the registration's event). */
  changed(): void;
}

type ByokModel = vscode.LanguageModelChatInformation & Pick<ChatModelInformation, 'providerId' | 'model'>;

export class ByokChatProvider implements vscode.LanguageModelChatProvider<ByokModel>, vscode.Disposable {
  private readonly source: ModelSource;
  private signature: string;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly dependencies: ByokChatProviderDependencies) {
    const { providers } = dependencies;
    this.source = { all: () => providers.catalog.all(), usable: id => providers.usable(id), knownModels: id => providers.knownModels(id) };
    this.signature = informationSignature(chatModelInformation(this.source));
    // Keys, activation, settings and model lists all change the provider state; VS Code is told only
    // when the list it would see is different.
    this.subscription = providers.onDidChange(() => {
      const next = informationSignature(chatModelInformation(this.source));
      if (next === this.signature) return;
      this.signature = next;
      dependencies.changed();
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /** Never prompts, silent or not: a provider without a key simply has no models here. */
  provideLanguageModelChatInformation(): ByokModel[] {
    return chatModelInformation(this.source);
  }

  async provideLanguageModelChatResponse(
    model: ByokModel, messages: readonly vscode.LanguageModelChatRequestMessage[], options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>, token: vscode.CancellationToken,
  ): Promise<void> {
    const target = parseLanguageModelId(model.id);
    if (!target) throw vscode.LanguageModelError.NotFound(`BYOK AI does not know the model "${model.id}".`);
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    const modelOptions = options.modelOptions ?? {};
    const tools = toToolDefinitions(options.tools);
    try {
      await respond(this.dependencies.router, {
        providerId: target.providerId,
        model: target.model,
        messages: toChatMessages(messages.map(readMessage)),
        maxOutputTokens: numberOption(modelOptions, 'maxOutputTokens') ?? numberOption(modelOptions, 'max_tokens') ?? this.dependencies.maxOutputTokens(),
        ...(numberOption(modelOptions, 'temperature') !== undefined ? { temperature: numberOption(modelOptions, 'temperature') } : {}),
        ...(tools ? { tools, toolMode: toToolMode(options.toolMode) } : {}),
      }, controller.signal, part => {
        if (part.kind === 'text') progress.report(new vscode.LanguageModelTextPart(part.text));
        else progress.report(new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input));
      });
    } catch (caught) {
      const descriptor = this.dependencies.providers.catalog.describe(target.providerId);
      const failure = describeFailure(caught, descriptor?.label ?? target.providerId, descriptor?.dashboardUrl);
      if (failure.cancelled && token.isCancellationRequested) throw new vscode.CancellationError();
      throw failure.code ? vscode.LanguageModelError[failure.code](failure.message) : new vscode.LanguageModelError(failure.message);
    } finally {
      cancellation.dispose();
    }
  }

  async provideTokenCount(_model: ByokModel, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return countTokens(typeof text === 'string' ? text : readMessage(text));
  }
}

function readMessage(message: vscode.LanguageModelChatRequestMessage): RequestMessage {
  const parts: RequestPart[] = [];
  for (const part of message.content) {
    if (part instanceof vscode.LanguageModelTextPart) parts.push({ kind: 'text', text: part.value });
    else if (part instanceof vscode.LanguageModelToolCallPart) parts.push({ kind: 'tool-call', callId: part.callId, name: part.name, input: asRecord(part.input) });
    else if (part instanceof vscode.LanguageModelToolResultPart) parts.push({ kind: 'tool-result', callId: part.callId, content: toolResultText(part.content) });
    // Images and other data parts are not sent: the models are offered without image input.
  }
  // Role 3 is the proposed System role; anything but the assistant is otherwise the user.
  const role = message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : (message.role as number) === 3 ? 'system' : 'user';
  return { role, parts };
}

function asRecord(value: object): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function numberOption(options: { readonly [name: string]: unknown }, name: string): number | undefined {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
