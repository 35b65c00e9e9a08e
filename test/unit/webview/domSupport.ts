// Shared set-up for the webview suites: the UI modules need a DOM, which jsdom supplies.
import { JSDOM } from 'jsdom';

/** A jsdom window as `window`/`document` for this suite only, so other suites still see plain Node. */
export function useDom(): void {
  let installed = false;
  before(() => {
    if ('document' in globalThis) return;
    const { window } = new JSDOM('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { window, document: window.document });
    installed = true;
  });
  after(() => {
    if (!installed) return;
    const globals = globalThis as Record<string, unknown>;
    delete globals['window'];
    delete globals['document'];
  });
}
