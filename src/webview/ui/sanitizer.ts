// Untrusted HTML → inert DOM nodes, with DOMPurify. The result is a DocumentFragment owned by
// DOMPurify's own DOMParser document (nothing in it is fetched or run) and is inserted into the page
// as nodes: there is never a sanitize → HTML string → innerHTML round trip, the usual shape of
// mutation XSS. This module creates the webview's only Trusted Types policy and hands it to DOMPurify,
// which needs it to pass the dirty string to DOMParser (an HTML sink under Trusted Types); with the
// policy given, DOMPurify does not create its own "dompurify" policy.
// @see https://github.com/cure53/DOMPurify#what-about-dompurify-and-trusted-types
import createDOMPurify, { type Config, type WindowLike } from 'dompurify';
import { sanitizerPolicyName } from './trustedTypes';

type Policy = NonNullable<Config['TRUSTED_TYPES_POLICY']>;

interface PolicyFactory {
  createPolicy(name: string, rules: { createHTML(input: string): string; createScriptURL(input: string): string }): Policy;
}

export interface Sanitizer {
  /** HTML rendered from model markdown → a fragment of allowlisted elements and attributes only. */
  markdown(html: string): DocumentFragment;
}

/** Tags model markdown may produce; everything else is removed (its text is kept). */
const markdownTags = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strike',
  'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul', 'var',
];
// `src` and `href` survive only until the markdown post-pass turns them into data attributes or text.
const markdownAttributes = ['href', 'title', 'alt', 'src', 'class', 'colspan', 'rowspan', 'align', 'start', 'open'];

// Model output may only carry `language-*` classes, so it cannot dress up as our own UI (a fake
// code toolbar, a hidden block).
const languageClass = /^language-[\w+#.-]{1,64}$/;

// A leading element that ends the HTML parser's "frameset-ok" state: without it an answer that starts
// with <frameset> replaces the <body> DOMPurify reads, and DOMPurify returns null (the old
// "Cannot read properties of null (reading 'ownerDocument')"). It also keeps a leading comment or
// whitespace inside the body. It is removed again after sanitizing.
// @see https://html.spec.whatwg.org/multipage/parsing.html#frameset-ok-flag
const bodyAnchor = '<br>';

function createPolicy(view: Window): Policy | null {
  const factory = (view as { trustedTypes?: PolicyFactory }).trustedTypes;
  if (!factory) return null;
  // Throws when the CSP does not allow the name or it exists already: then nothing can be rendered
  // as markup, and the caller shows answers as plain text.
  return factory.createPolicy(sanitizerPolicyName, {
    // The dirty string only ever goes to DOMPurify's inert DOMParser document, never into the page.
    createHTML: input => input,
    createScriptURL: () => { throw new TypeError('BYOK AI never creates script URLs'); },
  });
}

/** A sanitizer bound to `view` (the webview window, or a jsdom window in tests). */
export function createSanitizer(view: Window): Sanitizer {
  const policy = createPolicy(view);
  const purifier = createDOMPurify(view as unknown as WindowLike);
  purifier.addHook('uponSanitizeAttribute', (_node, data) => {
    if (data.attrName !== 'class') return;
    const kept = data.attrValue.split(/\s+/).filter(token => languageClass.test(token));
    if (kept.length === 0) data.keepAttr = false;
    else data.attrValue = kept.join(' ');
  });
  // Parsed once here, not on every call.
  purifier.setConfig({
    ALLOWED_TAGS: markdownTags,
    ALLOWED_ATTR: markdownAttributes,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    // An inert fragment owned by DOMPurify's DOMParser document, handed over as nodes.
    RETURN_DOM_FRAGMENT: true,
    // null, not undefined: DOMPurify must never create its own "dompurify" policy.
    TRUSTED_TYPES_POLICY: policy,
  });
  return {
    markdown(html) {
      const fragment = purifier.sanitize(bodyAnchor + html) as unknown as DocumentFragment | null;
      const anchor = fragment?.firstChild;
      if (!fragment || anchor?.nodeName !== 'BR') throw new Error('The sanitizer could not parse this HTML.');
      anchor.remove();
      return fragment;
    },
  };
}

let current: { view: Window; sanitizer: Sanitizer } | undefined;

/** The sanitizer of the current window, created on first use (the policy can be created only once). */
export function sanitizer(): Sanitizer {
  if (current?.view !== window) current = { view: window, sanitizer: createSanitizer(window) };
  return current.sanitizer;
}
