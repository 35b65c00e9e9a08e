// The Content Security Policy of both webviews. Kept apart from html.ts (which needs `vscode`) so
// the unit tier can check it.
// @see https://code.visualstudio.com/api/extension-guides/webview#content-security-policy
import { sanitizerPolicyName } from './ui/trustedTypes';

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    // Codicons are a font; no image is loaded from anywhere else (model images become inert links).
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    // Every HTML sink (innerHTML, insertAdjacentHTML, DOMParser, …) needs a TrustedHTML, and the only
    // policy that may exist is the sanitizer's: a future `innerHTML = string` throws instead of
    // bypassing it. VS Code's own preamble script runs before this policy is parsed.
    // @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/require-trusted-types-for
    "require-trusted-types-for 'script'",
    `trusted-types ${sanitizerPolicyName}`,
  ].join('; ');
}
