// jsdom does not implement Trusted Types. This emulates what a browser does under
// `require-trusted-types-for 'script'; trusted-types <names>`: the HTML sinks refuse plain strings and
// accept only values made by a policy, and only the listed policy names can be created, once each.
// It is enough to prove that the renderer never hands a string to a sink outside the sanitizer's policy.
// @see https://w3c.github.io/trusted-types/dist/spec/#integrations
import { JSDOM, type DOMWindow } from 'jsdom';

export class EmulatedTrustedHTML {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export interface TrustedTypesEmulation {
  window: DOMWindow;
  /** Names of the policies created, in order. */
  policies: string[];
  /** One entry per refused string or policy. */
  violations: string[];
}

const refused = (sink: string): TypeError => new TypeError(`This document requires 'TrustedHTML' assignment (${sink}).`);

/** A jsdom window enforcing Trusted Types with `allowedPolicies` as the `trusted-types` list. */
export function emulateTrustedTypes(allowedPolicies: readonly string[]): TrustedTypesEmulation {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://webview.test/index.html' });
  const policies: string[] = [];
  const violations: string[] = [];
  const unwrap = (sink: string, value: unknown): string => {
    if (value instanceof EmulatedTrustedHTML) return value.value;
    violations.push(`${sink}: ${String(value).slice(0, 80)}`);
    throw refused(sink);
  };

  const guardSetter = (prototype: object, property: string): void => {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, property);
    const set = descriptor?.set;
    if (!descriptor || !set) throw new Error(`no ${property} setter to guard`);
    Object.defineProperty(prototype, property, { ...descriptor, set(this: unknown, value: unknown) { set.call(this, unwrap(property, value)); } });
  };
  const guardMethod = (prototype: Record<string, unknown>, name: string, argument: number): void => {
    const original = prototype[name] as (...args: unknown[]) => unknown;
    prototype[name] = function (this: unknown, ...args: unknown[]): unknown {
      args[argument] = unwrap(name, args[argument]);
      return original.apply(this, args);
    };
  };

  guardSetter(window.Element.prototype, 'innerHTML');
  guardSetter(window.Element.prototype, 'outerHTML');
  guardSetter(window.HTMLIFrameElement.prototype, 'srcdoc');
  guardMethod(window.Element.prototype as unknown as Record<string, unknown>, 'insertAdjacentHTML', 1);
  guardMethod(window.Document.prototype as unknown as Record<string, unknown>, 'write', 0);
  guardMethod(window.DOMParser.prototype as unknown as Record<string, unknown>, 'parseFromString', 0);
  guardMethod(window.Range.prototype as unknown as Record<string, unknown>, 'createContextualFragment', 0);

  const factory = {
    createPolicy(name: string, rules: { createHTML?: (input: string) => string; createScriptURL?: (input: string) => string }) {
      if (!allowedPolicies.includes(name) || policies.includes(name)) {
        violations.push(`createPolicy: ${name}`);
        throw new TypeError(`Refused to create a TrustedTypePolicy named '${name}'.`);
      }
      policies.push(name);
      return {
        name,
        createHTML: (input: string) => {
          if (!rules.createHTML) throw new TypeError(`Policy ${name}'s createHTML is undefined.`);
          return new EmulatedTrustedHTML(rules.createHTML(input));
        },
        createScriptURL: (input: string) => {
          if (!rules.createScriptURL) throw new TypeError(`Policy ${name}'s createScriptURL is undefined.`);
          return rules.createScriptURL(input);
        },
      };
    },
    isHTML: (value: unknown) => value instanceof EmulatedTrustedHTML,
    emptyHTML: new EmulatedTrustedHTML(''),
    getAttributeType: (tag: string, attribute: string) =>
      tag === 'iframe' && attribute === 'srcdoc' ? 'TrustedHTML' : tag === 'script' && attribute === 'src' ? 'TrustedScriptURL' : null,
    defaultPolicy: null,
  };
  Object.defineProperty(window, 'trustedTypes', { value: factory, configurable: true });
  return { window, policies, violations };
}

/** The names a CSP string allows in its `trusted-types` directive. */
export function allowedPolicyNames(csp: string): string[] {
  const directive = csp.split(';').map(part => part.trim()).find(part => part.startsWith('trusted-types '));
  return directive ? directive.split(/\s+/).slice(1) : [];
}

/** Runs each test of the calling suite with `emulation.window` as the global window and document. */
export function useWindow(emulation: () => TrustedTypesEmulation): void {
  const globals = globalThis as Record<string, unknown>;
  let saved: { window: unknown; document: unknown } | undefined;
  beforeEach(() => {
    saved = { window: globals['window'], document: globals['document'] };
    const { window } = emulation();
    Object.assign(globalThis, { window, document: window.document });
  });
  afterEach(() => {
    if (!saved) return;
    for (const key of ['window', 'document'] as const) {
      if (saved[key] === undefined) delete globals[key];
      else globals[key] = saved[key];
    }
  });
}
