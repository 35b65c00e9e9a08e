// Which price data is active: the table bundled with @pydantic/genai-prices, or the copy the user
// downloaded with "BYOK AI: Refresh Prices" (opt-in, never automatic). The download URL is the
// package's own REMOTE_DATA_JSON_URL — there is deliberately no setting for it, so a workspace
// cannot change where prices come from. Never imports `vscode`.

import { bundledPricesVersion, type PricesLibrary } from './pricesLibrary';

/** Where the downloaded copy lives (a file in the extension's global storage). */
export interface PriceDataStore {
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}

export type FetchText = (url: string, signal?: AbortSignal) => Promise<string>;

interface StoredPrices {
  fetchedAt: string;
  source: string;
  data: unknown[];
}

export interface PriceDataInfo {
  /** Written into every cost, so a ledger entry knows which table priced it. */
  version: string;
  /** When the active table was downloaded; undefined for the bundled table. */
  fetchedAt?: string;
  bundled: boolean;
}

/** A download larger than this is not a price table. */
const maxDownloadBytes = 30 * 1024 * 1024;

export class PriceData {
  private active: PriceDataInfo = { version: bundledPricesVersion, bundled: true };
  private loaded: Promise<void> | undefined;

  constructor(private readonly store: PriceDataStore, private readonly fetchText: FetchText, private readonly log: (message: string) => void = () => undefined) {}

  info(): PriceDataInfo {
    return this.active;
  }

  /** Applies a previously downloaded table, once; the bundled table stays when there is none or it is broken. */
  load(library: PricesLibrary): Promise<void> {
    this.loaded ??= (async () => {
      let text: string | undefined;
      try {
        text = await this.store.read();
      } catch (error) {
        this.log(`price data: could not read the downloaded table (${describe(error)}); using the bundled one`);
        return;
      }
      if (!text) return;
      try {
        const stored = JSON.parse(text) as StoredPrices;
        apply(library, stored.data);
        this.active = { version: versionOf(stored.fetchedAt), fetchedAt: stored.fetchedAt, bundled: false };
      } catch (error) {
        this.log(`price data: the downloaded table is unusable (${describe(error)}); using the bundled one`);
      }
    })();
    return this.loaded;
  }

  /** Downloads the published table, checks it, applies it and keeps it. Throws when any step fails (nothing changes then). */
  async refresh(library: PricesLibrary, now: Date, signal?: AbortSignal): Promise<{ info: PriceDataInfo; providers: number; models: number }> {
    await this.load(library);
    const source = library.REMOTE_DATA_JSON_URL;
    const text = await this.fetchText(source, signal);
    if (text.length > maxDownloadBytes) throw new Error('The downloaded price data is unexpectedly large; kept the current prices.');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new Error('The downloaded price data is not JSON; kept the current prices.');
    }
    const counts = validate(data);
    apply(library, data as unknown[]);
    const fetchedAt = now.toISOString();
    const stored: StoredPrices = { fetchedAt, source, data: data as unknown[] };
    await this.store.write(JSON.stringify(stored));
    this.active = { version: versionOf(fetchedAt), fetchedAt, bundled: false };
    return { info: this.active, ...counts };
  }
}

function versionOf(fetchedAt: string): string {
  return `genai-prices data ${fetchedAt}`;
}

/** The shape calcPrice relies on: an array of providers, each with an id and a models array. */
function validate(data: unknown): { providers: number; models: number } {
  if (!Array.isArray(data) || data.length === 0) throw new Error('The downloaded price data is not a list of providers; kept the current prices.');
  let models = 0;
  for (const provider of data) {
    const entry = provider as { id?: unknown; models?: unknown; api_pattern?: unknown };
    if (!entry || typeof entry.id !== 'string' || !Array.isArray(entry.models) || typeof entry.api_pattern !== 'string') {
      throw new Error('The downloaded price data has an entry without id, api_pattern or models; kept the current prices.');
    }
    models += entry.models.length;
  }
  return { providers: data.length, models };
}

function apply(library: PricesLibrary, data: unknown): void {
  validate(data);
  library.updatePrices(({ setProviderData }) => setProviderData(data as Parameters<typeof setProviderData>[0]));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
