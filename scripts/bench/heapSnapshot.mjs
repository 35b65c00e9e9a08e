// Sums a V8 heap snapshot (.heapsnapshot JSON) by node type, to tell what a heap grew by: strings
// (the conversation's text), compiled code and its metadata (V8 tiering up, bounded), or objects.
// @see https://developer.chrome.com/docs/devtools/memory-problems/heap-snapshots (node types)
import fs from 'node:fs';

export function summarizeHeapSnapshot(file) {
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  const byType = {};
  let total = 0;
  for (let index = 0; index < snapshot.nodes.length; index += stride) {
    const type = types[snapshot.nodes[index + typeAt]];
    const size = snapshot.nodes[index + sizeAt];
    byType[type] = (byType[type] ?? 0) + size;
    total += size;
  }
  const strings = (byType['string'] ?? 0) + (byType['concatenated string'] ?? 0) + (byType['sliced string'] ?? 0);
  const code = byType['code'] ?? 0;
  return { total, strings, code, other: total - strings - code, byType };
}

/** b − a per kind. */
export function heapGrowth(a, b) {
  const byType = {};
  for (const type of new Set([...Object.keys(a.byType), ...Object.keys(b.byType)])) byType[type] = (b.byType[type] ?? 0) - (a.byType[type] ?? 0);
  return { total: b.total - a.total, strings: b.strings - a.strings, code: b.code - a.code, other: b.other - a.other, byType };
}
