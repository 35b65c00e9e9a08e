// A deterministic, model-like markdown answer for the streaming benches: sections with headings,
// prose with inline code, bold and links, fenced code blocks (TypeScript, Python, Bash, JSON), lists
// and tables, cut into token-sized deltas (about 4 characters, like GPT-style tokenizers on English
// and code). The same generator makes every size, so 2,000 and 20,000 tokens have the same mix.

/** mulberry32 (as in test/unit/seededRandom.ts). */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const words = ('the a request provider stream answer token model router adapter cache value handler error retry ' +
  'signal timeout buffer parser render config setting key secret workspace editor selection function module ' +
  'returns because when with without every first last each should never always instead which this that into ' +
  'from before after while until then also only still other same simple small large fast slow safe').split(' ');
const identifiers = ['request', 'response', 'options', 'stream', 'parts', 'result', 'signal', 'controller', 'buffer', 'index', 'count', 'message'];
const languages = ['ts', 'python', 'bash', 'json'];

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function sentence(random, count) {
  const out = [];
  for (let index = 0; index < count; index++) {
    const roll = random();
    const word = pick(random, words);
    if (roll < 0.05) out.push(`\`${pick(random, identifiers)}.${pick(random, identifiers)}()\``);
    else if (roll < 0.08) out.push(`**${word}**`);
    else if (roll < 0.1) out.push(`[${word} docs](https://example.com/docs/${word})`);
    else out.push(word);
  }
  const text = out.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random, minimum, maximum) {
  const sentences = [];
  let total = 0;
  const target = minimum + Math.floor(random() * (maximum - minimum));
  while (total < target) {
    const length = 6 + Math.floor(random() * 14);
    sentences.push(sentence(random, length));
    total += length;
  }
  return sentences.join(' ');
}

function codeBlock(random) {
  const language = pick(random, languages);
  const lines = [];
  const count = 8 + Math.floor(random() * 23);
  for (let index = 0; index < count; index++) {
    const a = pick(random, identifiers);
    const b = pick(random, identifiers);
    const n = Math.floor(random() * 1000);
    if (language === 'ts') {
      lines.push(index === 0 ? `export async function ${a}${index}(${b}: string): Promise<number> {` :
        index === count - 1 ? '}' : `  const ${a}${index} = await ${b}.${pick(random, identifiers)}(${n}); // ${pick(random, words)} ${pick(random, words)}`);
    } else if (language === 'python') {
      lines.push(index === 0 ? `def ${a}_${index}(${b}: str) -> int:` : `    ${a}_${index} = ${b}.${pick(random, identifiers)}(${n})  # ${pick(random, words)}`);
    } else if (language === 'bash') {
      lines.push(`${pick(random, ['npm run', 'git', 'curl -s', 'export'])} ${a}-${b}${index > 0 && random() < 0.3 ? ` --${pick(random, identifiers)}=${n}` : ''}`);
    } else {
      lines.push(index === 0 ? '{' : index === count - 1 ? '}' : `  "${a}${index}": ${random() < 0.5 ? n : `"${b}"`}${index < count - 2 ? ',' : ''}`);
    }
  }
  return `\`\`\`${language}\n${lines.join('\n')}\n\`\`\``;
}

function list(random) {
  const numbered = random() < 0.4;
  const items = [];
  const count = 3 + Math.floor(random() * 4);
  for (let index = 0; index < count; index++) items.push(`${numbered ? `${index + 1}.` : '-'} ${sentence(random, 6 + Math.floor(random() * 10))}`);
  return items.join('\n');
}

function table(random) {
  const rows = ['| option | default | meaning |', '|--------|---------|---------|'];
  for (let index = 0; index < 3 + Math.floor(random() * 3); index++) rows.push(`| \`${pick(random, identifiers)}\` | ${Math.floor(random() * 100)} | ${sentence(random, 5)} |`);
  return rows.join('\n');
}

function section(random, index) {
  const blocks = [`## ${index}. ${sentence(random, 4).slice(0, -1)}`, paragraph(random, 30, 90), codeBlock(random)];
  if (random() < 0.7) blocks.push(list(random));
  if (random() < 0.25) blocks.push(table(random));
  blocks.push(paragraph(random, 15, 50));
  if (random() < 0.5) blocks.push(codeBlock(random));
  return blocks.join('\n\n');
}

/** Token-sized pieces: a word (≤ 8 letters) with its leading space, ≤ 3 digits, ≤ 3 punctuation marks, line breaks, a run of spaces. */
const tokenPattern = / ?[A-Za-z]{1,8}| ?\d{1,3}|[ \t]*\n+|[ \t]+|[^\sA-Za-z\d]{1,3}/g;

export function tokenize(text) {
  return text.match(tokenPattern) ?? [];
}

/**
 * @param {{ tokens: number, seed?: number }} options
 * @returns {{ text: string, deltas: string[] }} exactly `tokens` deltas; deltas.join('') === text. When
 *   the cut falls inside a code block, the last delta also closes it.
 */
export function makeAnswer({ tokens, seed = 1 }) {
  const random = seededRandom(seed);
  const deltas = [];
  for (let index = 1; deltas.length < tokens; index++) deltas.push(...tokenize(`${index === 1 ? '' : '\n\n'}${section(random, index)}`));
  deltas.length = tokens;
  const text = deltas.join('');
  if ((text.match(/^```/gm) ?? []).length % 2 === 1) deltas[tokens - 1] += `${text.endsWith('\n') ? '' : '\n'}\`\`\``;
  return { text: deltas.join(''), deltas };
}
