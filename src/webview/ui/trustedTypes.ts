// The one Trusted Types policy of the webviews. The CSP (src/webview/contentSecurityPolicy.ts)
// allows only this name and requires Trusted Types for every HTML sink, so the only code that can
// turn a string into markup is the sanitizer (./sanitizer.ts), which creates this policy once.
// @see https://developer.mozilla.org/en-US/docs/Web/API/Trusted_Types_API
export const sanitizerPolicyName = 'byok-sanitizer';
