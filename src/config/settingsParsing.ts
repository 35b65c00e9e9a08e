// The settings that need a schema to read (custom endpoints, timeouts), parsed with zod on first use.
// Built as its own chunk (dist/settingsParsing.js, see lazyChunks in esbuild.mjs) and required by
// settings.ts only when such a setting has a value to parse, so activation neither loads nor runs zod
// for a user without custom endpoints. No `vscode` import.

import * as z from 'zod/mini';
import type { TimeoutOptions } from '../providers/types';

export { parseCustomEndpoints } from './customEndpoints';

// Built on first use (constructing zod schemas costs time).
const timeoutsSchemaOf = () => z.object({
  connectMs: z.optional(z.number().check(z.gte(1000), z.lte(600_000))),
  firstTokenMs: z.optional(z.number().check(z.gte(1000), z.lte(900_000))),
  idleMs: z.optional(z.number().check(z.gte(1000), z.lte(900_000))),
});
let timeoutsSchema: ReturnType<typeof timeoutsSchemaOf> | undefined;

/** `byok.timeouts` when every field is valid, or nothing (the defaults apply). */
export function parseTimeouts(raw: unknown): Partial<TimeoutOptions> {
  const parsed = (timeoutsSchema ??= timeoutsSchemaOf()).safeParse(raw);
  return parsed.success ? parsed.data : {};
}
