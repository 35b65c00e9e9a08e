// Reads a VSIX (a plain zip: stored or deflated entries, no zip64) without an unzip binary: lists
// every entry with its sizes and extracts a folder of it. Enough for what vsce writes.
// @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3.12 central directory, 4.3.16 end record)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const endOfCentralDirectory = 0x06054b50;
const centralDirectoryHeader = 0x02014b50;
const localFileHeader = 0x04034b50;

/** @returns {{ name: string, method: number, compressedSize: number, size: number, offset: number }[]} */
export function listZip(buffer) {
  let end = -1;
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at--) {
    if (buffer.readUInt32LE(at) === endOfCentralDirectory) { end = at; break; }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory record)');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const entries = [];
  for (let index = 0; index < count; index++) {
    if (buffer.readUInt32LE(at) !== centralDirectoryHeader) throw new Error(`bad central directory entry ${index}`);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    entries.push({
      name: buffer.toString('utf8', at + 46, at + 46 + nameLength),
      method: buffer.readUInt16LE(at + 10),
      compressedSize: buffer.readUInt32LE(at + 20),
      size: buffer.readUInt32LE(at + 24),
      offset: buffer.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function entryData(buffer, entry) {
  if (buffer.readUInt32LE(entry.offset) !== localFileHeader) throw new Error(`bad local header for ${entry.name}`);
  const start = entry.offset + 30 + buffer.readUInt16LE(entry.offset + 26) + buffer.readUInt16LE(entry.offset + 28);
  const raw = buffer.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method === 8) return zlib.inflateRawSync(raw);
  throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
}

/** Extracts the entries under `prefix` (e.g. `extension/`) into `target`, without the prefix. */
export function extractZip(buffer, prefix, target) {
  for (const entry of listZip(buffer)) {
    if (!entry.name.startsWith(prefix) || entry.name.endsWith('/')) continue;
    const relative = entry.name.slice(prefix.length);
    const file = path.resolve(target, relative);
    if (!file.startsWith(path.resolve(target) + path.sep)) throw new Error(`unsafe path in zip: ${entry.name}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, entryData(buffer, entry));
  }
}
