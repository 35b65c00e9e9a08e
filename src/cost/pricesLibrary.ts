// Loads @pydantic/genai-prices on first use. In the built extension the import resolves to its own
// bundle, dist/vendor/genaiPrices.js (see esbuild.mjs), so activation never loads or parses the
// 480 KB price table. Never imports `vscode`.

export type PricesLibrary = typeof import('@pydantic/genai-prices');

/**
 * The version of the bundled package, which is also the version of its bundled price data.
 * test/unit/cost/pricing.test.ts checks it against node_modules, so an upgrade cannot forget it.
 */
export const bundledPricesVersion = 'genai-prices@0.1.8';

let loading: Promise<PricesLibrary> | undefined;

export function loadPricesLibrary(): Promise<PricesLibrary> {
  loading ??= import('@pydantic/genai-prices').catch(error => {
    loading = undefined;
    throw error;
  });
  return loading;
}
