#!/usr/bin/env node
// Writes the tiny model the real-llama-server test tier serves: a LLaMA-architecture GGUF with
// untrained, deterministic pseudo-random F32 weights (2 layers, n_embd 64, ~4.2 M parameters, ~17 MB)
// and the REAL LLaMA SentencePiece 32k tokenizer, copied from a vocab-only GGUF of the llama.cpp
// source tree (models/ggml-vocab-llama-spm.gguf). A ChatML chat template is added so
// /v1/chat/completions and /v1/messages have a template to apply.
//
// The output is byte-identical on every run and machine, but its text is gibberish: tests assert on
// the protocol (framing, usage, limits, errors, cancellation), never on what the model says.
// Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
//
//   usage: node scripts/localLlm/genTinyModel.mjs <vocab.gguf> <out.gguf>
//   import { writeTinyModel } from './genTinyModel.mjs'
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GGUF_MAGIC = 'GGUF';
const GGUF_VERSION = 3;
const ALIGNMENT = 32;
const GGML_TYPE_F32 = 0;
/** GGUF metadata value types. */
const V = { U8: 0, I8: 1, U16: 2, I16: 3, U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9, U64: 10, I64: 11, F64: 12 };
const FIXED_SIZE = new Map([[V.U8, 1], [V.I8, 1], [V.U16, 2], [V.I16, 2], [V.U32, 4], [V.I32, 4], [V.F32, 4], [V.BOOL, 1], [V.U64, 8], [V.I64, 8], [V.F64, 8]]);

export const MODEL_SHAPE = Object.freeze({ embd: 64, layers: 2, heads: 4, headsKv: 4, ffn: 128, context: 2048 });
const CHATML = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/**
 * Reads the `tokenizer.*` metadata of a GGUF file as raw (type + value) byte slices, so they can be
 * copied without decoding. Returns { entries: [[key, Buffer]], vocabSize }.
 */
export function readTokenizer(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 24 || buf.toString('latin1', 0, 4) !== GGUF_MAGIC) throw new Error(`${file} is not a GGUF file`);
  let at = 8; // magic + version
  const u32 = () => { const v = buf.readUInt32LE(at); at += 4; return v; };
  const u64 = () => { const v = Number(buf.readBigUInt64LE(at)); at += 8; return v; };
  const skip = type => {
    if (type === V.STRING) { const length = u64(); at += length; return; } // not `at += u64()`: that adds to the old `at`
    if (type === V.ARRAY) {
      const itemType = u32();
      const count = u64();
      if (FIXED_SIZE.has(itemType)) at += FIXED_SIZE.get(itemType) * count;
      else for (let i = 0; i < count; i++) skip(itemType);
      return;
    }
    const size = FIXED_SIZE.get(type);
    if (size === undefined) throw new Error(`${file}: unknown GGUF value type ${type} at byte ${at}`);
    at += size;
  };
  u64(); // tensor count: a vocab-only file has none, and tensors are not read anyway
  const kvCount = u64();
  const entries = [];
  for (let i = 0; i < kvCount; i++) {
    const keyLength = u64();
    const key = buf.toString('utf8', at, at + keyLength);
    at += keyLength;
    const valueStart = at;
    skip(u32());
    if (key.startsWith('tokenizer.') && key !== 'tokenizer.chat_template') entries.push([key, buf.subarray(valueStart, at)]);
  }
  const tokens = entries.find(([key]) => key === 'tokenizer.ggml.tokens')?.[1];
  if (!tokens || tokens.readUInt32LE(0) !== V.ARRAY) throw new Error(`${file} has no tokenizer.ggml.tokens array`);
  return { entries, vocabSize: Number(tokens.readBigUInt64LE(8)) };
}

/** A small GGUF writer: collects metadata and tensors, then lays them out with the format's padding. */
class GgufWriter {
  parts = [];
  metadata = [];
  tensors = [];

  static u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; }
  static u64(v) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; }
  static string(s) { const b = Buffer.from(s, 'utf8'); return Buffer.concat([GgufWriter.u64(b.length), b]); }

  uint32(key, value) { this.metadata.push([key, Buffer.concat([GgufWriter.u32(V.U32), GgufWriter.u32(value)])]); }
  float32(key, value) { const b = Buffer.alloc(4); b.writeFloatLE(value); this.metadata.push([key, Buffer.concat([GgufWriter.u32(V.F32), b])]); }
  string(key, value) { this.metadata.push([key, Buffer.concat([GgufWriter.u32(V.STRING), GgufWriter.string(value)])]); }
  raw(key, typedValue) { this.metadata.push([key, typedValue]); }
  tensor(name, dims, values) { this.tensors.push({ name, dims, data: Buffer.from(values.buffer, values.byteOffset, values.byteLength) }); }

  toBuffer() {
    const pad = n => Buffer.alloc((ALIGNMENT - (n % ALIGNMENT)) % ALIGNMENT);
    const header = [Buffer.from(GGUF_MAGIC, 'latin1'), GgufWriter.u32(GGUF_VERSION), GgufWriter.u64(this.tensors.length), GgufWriter.u64(this.metadata.length)];
    for (const [key, value] of this.metadata) header.push(GgufWriter.string(key), value);
    let offset = 0;
    for (const t of this.tensors) {
      header.push(GgufWriter.string(t.name), GgufWriter.u32(t.dims.length), ...t.dims.map(d => GgufWriter.u64(d)), GgufWriter.u32(GGML_TYPE_F32), GgufWriter.u64(offset));
      offset += t.data.length + pad(t.data.length).length;
    }
    const head = Buffer.concat(header);
    const body = this.tensors.flatMap(t => [t.data, pad(t.data.length)]);
    return Buffer.concat([head, pad(head.length), ...body]);
  }
}

/** Deterministic normal-ish numbers (mulberry32 + Box-Muller), the same on every platform. */
function seededGaussian(seed) {
  let state = seed | 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = uniform() || 1e-12;
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Writes the tiny model; returns { bytes, parameters, vocabSize }. Writes to a temp file, then renames. */
export function writeTinyModel(vocabFile, outFile, shape = MODEL_SHAPE) {
  const { entries, vocabSize } = readTokenizer(vocabFile);
  const { embd, layers, heads, headsKv, ffn, context } = shape;
  const gguf = new GgufWriter();
  gguf.string('general.architecture', 'llama');
  gguf.string('general.name', `tiny-random-llama-${embd}x${layers}`);
  gguf.uint32('general.alignment', ALIGNMENT);
  gguf.uint32('general.file_type', 0); // all F32
  gguf.uint32('llama.context_length', context);
  gguf.uint32('llama.embedding_length', embd);
  gguf.uint32('llama.block_count', layers);
  gguf.uint32('llama.feed_forward_length', ffn);
  gguf.uint32('llama.attention.head_count', heads);
  gguf.uint32('llama.attention.head_count_kv', headsKv);
  gguf.uint32('llama.rope.dimension_count', embd / heads);
  gguf.float32('llama.attention.layer_norm_rms_epsilon', 1e-5);
  gguf.uint32('llama.vocab_size', vocabSize);
  for (const [key, value] of entries) gguf.raw(key, value);
  gguf.string('tokenizer.chat_template', CHATML);

  const gaussian = seededGaussian(0x5eed1234);
  const random = (dims, std) => Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => gaussian() * std);
  const ones = dims => new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(1);
  const kvDim = (embd / heads) * headsKv;
  const add = (name, dims, values) => gguf.tensor(name, dims, values);
  add('token_embd.weight', [embd, vocabSize], random([embd, vocabSize], 1));
  for (let l = 0; l < layers; l++) {
    add(`blk.${l}.attn_norm.weight`, [embd], ones([embd]));
    add(`blk.${l}.attn_q.weight`, [embd, embd], random([embd, embd], 0.2));
    add(`blk.${l}.attn_k.weight`, [embd, kvDim], random([embd, kvDim], 0.2));
    add(`blk.${l}.attn_v.weight`, [embd, kvDim], random([embd, kvDim], 0.2));
    add(`blk.${l}.attn_output.weight`, [embd, embd], random([embd, embd], 0.2));
    add(`blk.${l}.ffn_norm.weight`, [embd], ones([embd]));
    add(`blk.${l}.ffn_gate.weight`, [embd, ffn], random([embd, ffn], 0.2));
    add(`blk.${l}.ffn_up.weight`, [embd, ffn], random([embd, ffn], 0.2));
    add(`blk.${l}.ffn_down.weight`, [ffn, embd], random([ffn, embd], 0.2));
  }
  add('output_norm.weight', [embd], ones([embd]));
  add('output.weight', [embd, vocabSize], random([embd, vocabSize], 0.5));

  const bytes = gguf.toBuffer();
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const temp = `${outFile}.${process.pid}.tmp`;
  fs.writeFileSync(temp, bytes);
  fs.renameSync(temp, outFile);
  const parameters = gguf.tensors.reduce((n, t) => n + t.data.length / 4, 0);
  return { bytes: bytes.length, parameters, vocabSize };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [vocabFile, outFile] = process.argv.slice(2);
  if (!vocabFile || !outFile) {
    console.error('usage: node scripts/localLlm/genTinyModel.mjs <vocab.gguf> <out.gguf>');
    process.exit(2);
  }
  const r = writeTinyModel(vocabFile, outFile);
  console.log(`wrote ${outFile}: vocab ${r.vocabSize}, ${r.parameters} parameters, ${r.bytes} bytes`);
}
