// What users paste as a key is not always just the key. Cleaned here, in one place.

/** Removes whitespace, newlines, surrounding quotes and a leading `Bearer ` or `Authorization:`. */
export function normalizeKey(raw: string): string {
  let key = raw.trim().replace(/^["'`]+|["'`]+$/g, '').trim();
  key = key.replace(/^(authorization\s*:\s*)?bearer\s+/i, '');
  return key.replace(/\s+/g, '');
}
