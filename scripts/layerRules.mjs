// BYOK AI layer rules, checked by parsing import specifiers (no TypeScript compiler needed).
// Used by scripts/lint.mjs and test/unit/layerRules.test.ts.
//
// Rules (src/ unless said otherwise):
//  1. src/providers/**, src/router.ts and src/router/** never import 'vscode', neither directly nor
//     through any src file they (transitively) import with a value import.
//  2. src/webview/protocol.ts imports nothing at all (not even `import type`).
//  3. src/webview/ui/** imports only ./ files inside src/webview/ui, ../protocol, and the packages
//     marked, dompurify, highlight.js (core + languages).
//  4. The SDKs (openai, @anthropic-ai/sdk, @google/genai) are value-imported only in
//     src/providers/sdk.ts; `import type` / `typeof import()` of them is allowed under src/providers.
//  5. '@google/generative-ai' is never imported (src/ and test/) nor a dependency.
//  6. zod only as 'zod/mini'.
//  7. No console.log in src/ (use the output channel).
//  8. No `.only(` in test/.
import fs from 'node:fs';
import path from 'node:path';

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SDK_PACKAGES = ['openai', '@anthropic-ai/sdk', '@google/genai'];
const UI_PACKAGES = [/^marked$/, /^dompurify$/, /^highlight\.js$/, /^highlight\.js\/lib\/core$/, /^highlight\.js\/lib\/languages\/[\w.-]+$/];

/**
 * Blanks comments (→ spaces, newlines kept) and returns two same-length copies of the source:
 *   code:  comments blanked, strings intact (to read import specifiers)
 *   bare:  comments and the contents of strings, templates and regex literals blanked
 *          (to find code such as console.log or .only( without matching text inside strings)
 */
export function maskSource(text) {
  const code = text.split('');
  const bare = text.split('');
  const blank = (i, alsoCode) => {
    if (text[i] === '\n' || text[i] === '\r') return;
    bare[i] = ' ';
    if (alsoCode) code[i] = ' ';
  };
  let i = 0;
  let lastSignificant = '';   // last non-space char outside comments, to tell a regex from a division
  let lastWord = '';
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && text[i] !== '\n') blank(i++, true);
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      while (i < stop) blank(i++, true);
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\') { blank(i++); }
        if (c !== '`' && text[i] === '\n') break; // unterminated: stop at end of line
        blank(i++);
      }
      i++;
      lastSignificant = c;
      lastWord = '';
      continue;
    }
    if (c === '/') {
      const regexAllowed = lastSignificant === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant) ||
        ['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'void', 'yield', 'await'].includes(lastWord);
      if (regexAllowed) {
        i++;
        let inClass = false;
        while (i < n && text[i] !== '\n') {
          if (text[i] === '\\') { blank(i++); blank(i++); continue; }
          if (text[i] === '[') inClass = true;
          else if (text[i] === ']') inClass = false;
          else if (text[i] === '/' && !inClass) break;
          blank(i++);
        }
        i++;
        lastSignificant = '/';
        lastWord = '';
        continue;
      }
    }
    if (/\s/.test(c)) { i++; continue; }
    if (/[\w$]/.test(c)) {
      let j = i;
      while (j < n && /[\w$]/.test(text[j])) j++;
      lastWord = text.slice(i, j);
      lastSignificant = text[j - 1];
      i = j;
      continue;
    }
    lastSignificant = c;
    lastWord = '';
    i++;
  }
  return { code: code.join(''), bare: bare.join('') };
}

function lineOf(text, index) {
  let line = 1;
  for (let k = 0; k < index; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

/**
 * Every module reference in a source file: { specifier, line, typeOnly, kind }.
 * kind: 'import' | 'export' | 'side-effect' | 'dynamic' | 'require' | 'import-equals'.
 */
export function parseImports(text) {
  const { code, bare } = maskSource(text);
  const found = [];
  // A keyword must be real code (not inside a string) to count.
  const isCode = index => bare.slice(index, index + 6) === code.slice(index, index + 6);
  const push = (index, specifier, typeOnly, kind) => found.push({ specifier, line: lineOf(text, index), typeOnly, kind });

  // import [type] <clause> from 'x'   /   export [type] <clause> from 'x'
  const fromRe = /\b(import|export)(\s+type)?\s+((?:(?!\b(?:import|export)\b)[\w$*{}\s,])*?)\s*from\s*(['"])([^'"\n]+)\4/g;
  for (const m of code.matchAll(fromRe)) {
    if (!isCode(m.index)) continue;
    const clause = m[3].trim();
    let typeOnly = Boolean(m[2]);
    if (!typeOnly && clause.startsWith('{') && clause.endsWith('}')) {
      // import { type A, type B } from 'x' is erased as well
      const names = clause.slice(1, -1).split(',').map(s => s.trim()).filter(Boolean);
      typeOnly = names.length > 0 && names.every(s => /^type\s/.test(s));
    }
    push(m.index, m[5], typeOnly, m[1]);
  }
  // import 'x'  (side effect)
  for (const m of code.matchAll(/\bimport\s*(['"])([^'"\n]+)\1/g)) {
    if (isCode(m.index)) push(m.index, m[2], false, 'side-effect');
  }
  // import x = require('x')
  for (const m of code.matchAll(/\bimport\s+(type\s+)?[\w$]+\s*=\s*require\s*\(\s*(['"])([^'"\n]+)\2\s*\)/g)) {
    if (isCode(m.index)) push(m.index, m[3], Boolean(m[1]), 'import-equals');
  }
  // import('x'), typeof import('x') and import('x').Name (type positions), require('x')
  for (const m of code.matchAll(/(\btypeof\s+)?\b(import|require)\s*\(\s*(['"])([^'"\n]+)\3\s*\)(\s*\.\s*[\w$]+)?/g)) {
    const at = m.index + (m[1]?.length ?? 0);
    if (!isCode(at)) continue;
    const before = code.slice(Math.max(0, at - 80), at);
    if (m[2] === 'require' && (/[.\w$]$/.test(before) || /\bimport\s+(type\s+)?[\w$]+\s*=\s*$/.test(before))) continue; // x.require(), import x = require() (above)
    const member = m[5]?.replace(/[\s.]/g, '');
    const typePosition = Boolean(m[1]) || (m[2] === 'import' && member !== undefined && !['then', 'catch', 'finally'].includes(member));
    push(at, m[4], typePosition, m[2] === 'import' ? 'dynamic' : 'require');
  }
  found.sort((a, b) => a.line - b.line);
  return found;
}

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { if (entry.name !== 'node_modules') walk(full, out); }
    else if (SOURCE_EXT.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Resolves a relative specifier to a source file, or undefined (non-source asset, missing file). */
function resolveRelative(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const stripped = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
  const candidates = [base, `${stripped}.ts`, `${stripped}.tsx`, `${stripped}.mts`, `${stripped}.cts`, `${base}.ts`, `${base}.tsx`,
    `${base}.js`, `${base}.mjs`, path.join(base, 'index.ts'), path.join(base, 'index.js')];
  for (const c of candidates) {
    try { if (fs.statSync(c).isFile()) return c; } catch { /* next */ }
  }
  return undefined;
}

const packageOf = spec => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const isInside = (file, dir) => file === dir || file.startsWith(dir + path.sep);

/**
 * Checks the layer rules on the tree at root (src/, test/, package.json).
 * Returns [{ file (relative to root, / separators), line, message }], sorted.
 */
export function checkLayerRules(root) {
  root = path.resolve(root);
  const rel = f => path.relative(root, f).split(path.sep).join('/');
  const srcDir = path.join(root, 'src');
  const testDir = path.join(root, 'test');
  const srcFiles = walk(srcDir);
  const testFiles = walk(testDir);
  const violations = [];
  const report = (file, line, message) => violations.push({ file: rel(file), line, message });

  const info = new Map(); // file -> { imports, bare }
  const load = file => {
    if (!info.has(file)) {
      const text = fs.readFileSync(file, 'utf8');
      info.set(file, { imports: parseImports(text), bare: maskSource(text).bare, text });
    }
    return info.get(file);
  };

  // --- rule 1: vscode-free layers, transitively over value imports of src files -----------------
  // Depth-first over value imports of src files; returns the chain of files down to the one importing
  // 'vscode', or null. (Type-only imports are erased by the compiler, so they load nothing.)
  const chainToVscode = (file, seen = new Set()) => {
    if (seen.has(file)) return null;
    seen.add(file);
    for (const imp of load(file).imports) {
      if (imp.typeOnly) continue;
      if (imp.specifier === 'vscode') return [rel(file)];
      if (!imp.specifier.startsWith('.')) continue;
      const target = resolveRelative(file, imp.specifier);
      if (!target || !isInside(target, srcDir)) continue;
      const sub = chainToVscode(target, seen);
      if (sub) return [rel(file), ...sub];
    }
    return null;
  };
  const vscodeFree = f => isInside(f, path.join(srcDir, 'providers')) || f === path.join(srcDir, 'router.ts') ||
    isInside(f, path.join(srcDir, 'router'));
  for (const file of srcFiles.filter(vscodeFree)) {
    for (const imp of load(file).imports) {
      if (imp.specifier === 'vscode') {
        report(file, imp.line, `${rel(file)} must not import 'vscode' (providers/router layer stays VS Code-free)`);
      } else if (imp.specifier.startsWith('.') && !imp.typeOnly) {
        const target = resolveRelative(file, imp.specifier);
        if (!target || !isInside(target, srcDir)) continue;
        const chain = chainToVscode(target);
        if (chain) report(file, imp.line, `imports 'vscode' indirectly: ${imp.specifier} -> ${chain.join(' -> ')} -> 'vscode' (providers/router layer stays VS Code-free)`);
      }
    }
  }

  // --- rule 2: protocol.ts imports nothing ------------------------------------------------------------
  const protocol = path.join(srcDir, 'webview', 'protocol.ts');
  if (fs.existsSync(protocol)) {
    for (const imp of load(protocol).imports) {
      report(protocol, imp.line, `src/webview/protocol.ts must import nothing (found '${imp.specifier}')`);
    }
  }

  // --- rule 3: webview UI imports only itself, ../protocol and its packages ---------------------------
  const uiDir = path.join(srcDir, 'webview', 'ui');
  for (const file of srcFiles.filter(f => isInside(f, uiDir))) {
    for (const imp of load(file).imports) {
      const s = imp.specifier;
      if (s.startsWith('.')) {
        const target = resolveRelative(file, s) ?? path.resolve(path.dirname(file), s);
        const targetNoExt = target.replace(/\.(ts|js)$/, '');
        if (isInside(target, uiDir) || targetNoExt === protocol.replace(/\.ts$/, '')) continue;
        report(file, imp.line, `webview UI may import only ./ files in src/webview/ui and ../protocol, not '${s}' (${rel(target)})`);
      } else if (!UI_PACKAGES.some(re => re.test(s))) {
        report(file, imp.line, `webview UI may import only marked, dompurify and highlight.js, not '${s}'`);
      }
    }
  }

  // --- rules 4, 6, 7 over all of src -------------------------------------------------------------------
  const sdkFile = path.join(srcDir, 'providers', 'sdk.ts');
  const providersDir = path.join(srcDir, 'providers');
  for (const file of srcFiles) {
    const { imports, bare, text } = load(file);
    for (const imp of imports) {
      const pkg = packageOf(imp.specifier);
      if (SDK_PACKAGES.includes(pkg) && file !== sdkFile) {
        if (!(imp.typeOnly && isInside(file, providersDir))) {
          report(file, imp.line, imp.typeOnly
            ? `type imports of '${imp.specifier}' are allowed only under src/providers`
            : `'${imp.specifier}' may be imported only in src/providers/sdk.ts (lazy SDK loading)`);
        }
      }
      if (pkg === 'zod' && imp.specifier !== 'zod/mini') {
        report(file, imp.line, `import zod as 'zod/mini', not '${imp.specifier}'`);
      }
    }
    for (const m of bare.matchAll(/\bconsole\s*\.\s*log\b/g)) {
      report(file, lineOf(text, m.index), 'console.log in src/: write to the output channel instead');
    }
  }

  // --- rule 5: @google/generative-ai never --------------------------------------------------------------
  for (const file of [...srcFiles, ...testFiles]) {
    for (const imp of load(file).imports) {
      if (packageOf(imp.specifier) === '@google/generative-ai') {
        report(file, imp.line, "'@google/generative-ai' is deprecated: use '@google/genai' (through src/providers/sdk.ts)");
      }
    }
  }
  const pkgFile = path.join(root, 'package.json');
  if (fs.existsSync(pkgFile)) {
    const text = fs.readFileSync(pkgFile, 'utf8');
    const idx = text.indexOf('"@google/generative-ai"');
    if (idx !== -1) report(pkgFile, lineOf(text, idx), "'@google/generative-ai' must not be a dependency: use '@google/genai'");
  }

  // --- rule 8: no .only( in tests ---------------------------------------------------------------------
  for (const file of testFiles) {
    const { bare, text } = load(file);
    for (const m of bare.matchAll(/\.\s*only\s*\(/g)) {
      report(file, lineOf(text, m.index), '.only( left in a test: it would silently skip every other test');
    }
  }

  violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return violations;
}

export function formatViolations(violations) {
  return violations.map(v => `${v.file}:${v.line}: ${v.message}`).join('\n');
}
