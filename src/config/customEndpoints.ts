// Parsing of the user's `byok.customEndpoints` setting. Separate from settings.ts so it loads in
// plain Node: the rules for a valid endpoint are unit-tested.

import * as z from 'zod/mini';
import type { CustomEndpoint } from '../providers/registry';

// Built on first use: constructing zod schemas costs time, and activation rarely needs this one.
const endpointSchema = () => z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/)),
  name: z.string().check(z.minLength(1), z.maxLength(60)),
  baseUrl: z.string().check(z.regex(/^https?:\/\/[^\s]+$/)),
  headers: z.optional(z.record(z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/)), z.string().check(z.maxLength(2048)))),
  keyRequired: z.optional(z.boolean()),
  defaultModel: z.optional(z.string()),
});
let customEndpointSchema: ReturnType<typeof endpointSchema> | undefined;

/**
 * Parses `byok.customEndpoints`. An invalid entry is ignored and named by its position, its name
 * and the fields that failed — never by its content, which may hold a header with a key.
 */
export function parseCustomEndpoints(raw: unknown): { endpoints: CustomEndpoint[]; problems: string[] } {
  if (raw === undefined || raw === null) return { endpoints: [], problems: [] };
  if (!Array.isArray(raw)) return { endpoints: [], problems: ['byok.customEndpoints must be a list of endpoints; it was ignored.'] };
  const endpoints: CustomEndpoint[] = [];
  const problems: string[] = [];
  raw.forEach((entry: unknown, index) => {
    const parsed = (customEndpointSchema ??= endpointSchema()).safeParse(entry);
    const name = entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string'
      ? ` ("${(entry as { name: string }).name.slice(0, 40)}")` : '';
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map(issue => issue.path.map(String).slice(0, 1).join('.') || 'entry'))];
      problems.push(`Ignored byok.customEndpoints entry ${index + 1}${name}: invalid ${fields.join(', ')}.`);
      return;
    }
    if (endpoints.some(endpoint => endpoint.id === parsed.data.id)) {
      problems.push(`Ignored byok.customEndpoints entry ${index + 1}${name}: the id "${parsed.data.id}" is used twice.`);
      return;
    }
    endpoints.push({ ...parsed.data, keyRequired: parsed.data.keyRequired ?? false });
  });
  return { endpoints, problems };
}
