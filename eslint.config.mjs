// ESLint (flat config) for BYOK AI: typescript-eslint's recommended rules, floating promises
// (type-aware), and the layer rules of docs/house-style as import zones. `npm run lint` runs it
// (scripts/lint.mjs); test/unit/layerRules.test.ts plants one violation per rule and checks it is caught.
//
// Layers (paths under src/):
//  - providers/**                  import only each other and npm packages; never 'vscode'.
//  - router.ts, router/**          import only providers/** and router/**; never 'vscode'.
//    Both layers are closed (nothing else under src/ may be imported), so "no 'vscode', not even
//    through another src file" holds without following imports transitively.
//  - webview/protocol.ts           imports nothing, not even types.
//  - webview/ui/**                 imports only webview/ui/**, webview/protocol.ts, marked, dompurify
//                                  and highlight.js (core and languages).
//  - chat/**, config/**            may import from webview/ only the dependency-free protocol.ts
//                                  (the wire types the chat controller builds); never the view
//                                  providers, the HTML or the UI, which sit above them.
//  - SDKs (openai, @anthropic-ai/sdk, @google/genai) are loaded only by providers/sdk.ts with a
//    dynamic import() (esbuild turns that into a lazily required dist/vendor/ bundle); other files
//    under providers/ may import their types.
//  - zod only as 'zod/mini'; never '@google/generative-ai'; no console.log in src/ (use the log);
//    no .only in tests.
//
// How zones see paths: no-restricted-imports matches the specifier text, so each zone is written
// once per folder depth (src/x/*.ts, src/x/*/*.ts, …): at depth d a specifier leaves the zone exactly
// when it starts with d + 1 '../'. That gives resolved-path zones with the core rule alone.
import path from 'node:path';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const sdkPackages = '(openai|@anthropic-ai/sdk|@google/genai)';
const sdkSpecifier = new RegExp(`^${sdkPackages}(/.*)?$`);
/** The same as an esquery regex literal (RegExp#source already escapes the slashes). */
const sdkSelector = `/${sdkSpecifier.source}/`;
const maxDepth = 4;

const messages = {
  vscode: 'providers/ and the router never import vscode: they run (and are unit-tested) without VS Code.',
  closedProviders: 'providers/ imports only other files in providers/ (a closed layer, so it can never reach vscode).',
  closedRouter: 'the router imports only providers/ and router/ (a closed layer, so it can never reach vscode).',
  protocol: 'src/webview/protocol.ts is the dependency-free wire format: it imports nothing, not even types.',
  uiRelative: 'the webview UI imports only its own files in src/webview/ui and src/webview/protocol.ts.',
  uiPackage: 'the webview UI may use only the packages marked, dompurify and highlight.js (core and languages).',
  chatWebview: 'chat/ and config/ may import from webview/ only protocol.ts; the view providers, HTML and UI sit above them.',
  sdkValue: 'an SDK is loaded only by src/providers/sdk.ts with a dynamic import() (lazy dist/vendor/ bundle); import its types only.',
  sdkOutside: 'SDK types belong in src/providers: the rest of the extension sees only the provider contract.',
  generativeAi: "'@google/generative-ai' is deprecated: use '@google/genai' through src/providers/sdk.ts.",
  zod: "import zod as 'zod/mini' (a fraction of the size in the bundle).",
  only: '.only left in a test: it silently skips every other test.',
};

/** The files of a folder at one depth: src/x/*.ts at 0, src/x/*\/*.ts at 1. */
const filesAtDepth = (folder, depth) => [`${folder}/${'*/'.repeat(depth)}*.ts`];
const escape = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The specifier a file `depth` folders below `folder` writes for `target` (a path under src/,
 * e.g. 'webview/protocol'), as a regex: './x', '../x', '../../x', … A trailing '/' on the target
 * means "anything below that folder".
 */
function specifierOf(folder, depth, target) {
  const fromDirectory = `${folder}${'/x'.repeat(depth)}`;
  const isFolder = target.endsWith('/');
  const targetPath = path.posix.join('src', target);
  let specifier = path.posix.join(path.posix.relative(fromDirectory, path.posix.dirname(targetPath)) || '.', path.posix.basename(targetPath));
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return isFolder ? `${escape(specifier)}/.+` : escape(specifier);
}

/** Specifiers leaving `folder` from a file `depth` folders below it, except those reaching `allowed`. */
function leavesFolder(folder, depth, allowed = []) {
  const exceptions = allowed.map(target => specifierOf(folder, depth, target));
  const lookahead = exceptions.length ? `(?!(${exceptions.join('|')})$)` : '';
  return `^${lookahead}${escape('../'.repeat(depth + 1))}`;
}

/** Specifiers reaching the src/ folder `target` (or a file in it) from `folder` at `depth`, except `allowed` files in it. */
function reachesFolder(folder, depth, target, allowed = []) {
  const prefix = specifierOf(folder, depth, target);
  const exceptions = allowed.map(file => specifierOf(folder, depth, `${target}/${file}`));
  return `^${exceptions.length ? `(?!(${exceptions.join('|')})$)` : ''}${prefix}(/.*)?$`;
}

/** Restrictions that hold in every src file; zones add theirs (a later block replaces a rule's options). */
const srcPaths = [
  { name: '@google/generative-ai', message: messages.generativeAi },
  { name: 'zod', message: messages.zod },
];
const srcPatterns = [
  { regex: '^@google/generative-ai/', message: messages.generativeAi },
  { regex: '^zod/(?!mini$)', message: messages.zod },
];
const sdkImportPatterns = allowTypes => [{ regex: sdkSpecifier.source, message: allowTypes ? messages.sdkValue : messages.sdkOutside, allowTypeImports: allowTypes }];
const sdkSyntax = allowTypePositions => [
  { selector: `ImportExpression[source.value=${sdkSelector}]`, message: messages.sdkValue },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=${sdkSelector}]`, message: messages.sdkValue },
  ...(allowTypePositions ? [] : [{ selector: `TSImportType[argument.literal.value=${sdkSelector}]`, message: messages.sdkOutside }]),
];
const vscodeSyntax = [
  { selector: "ImportExpression[source.value='vscode']", message: messages.vscode },
  { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: messages.vscode },
  { selector: "TSImportType[argument.literal.value='vscode']", message: messages.vscode },
];

/** One config block: the src-wide restrictions plus a zone's own. */
function zone({ files, paths = [], patterns = [], syntax = [], sdk = 'outside' }) {
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [...srcPaths, ...paths],
        patterns: [...srcPatterns, ...(sdk === 'allowed' ? [] : sdkImportPatterns(sdk === 'types')), ...patterns],
      }],
      'no-restricted-syntax': ['error', ...(sdk === 'allowed' ? [] : sdkSyntax(sdk === 'types')), ...syntax],
    },
  };
}

/** One zone block per folder depth: specifiers leaving the folder (except to `allowed`) are errors. */
function closedFolder({ folder, allowed = [], message, patterns = [], ...rest }) {
  return Array.from({ length: maxDepth + 1 }, (_, depth) => zone({
    ...rest,
    files: filesAtDepth(folder, depth),
    patterns: [...patterns, { regex: leavesFolder(folder, depth, allowed), message }],
  }));
}

/** One zone block per folder depth: specifiers reaching `target` (except its `allowed` files) are errors. */
function forbiddenFolder({ folder, target, allowed = [], message }) {
  return Array.from({ length: maxDepth + 1 }, (_, depth) => zone({
    files: filesAtDepth(folder, depth),
    patterns: [{ regex: reachesFolder(folder, depth, target, allowed), message }],
  }));
}

const uiPackages = '(marked|dompurify|uplot|highlight\\.js(/lib/(core|languages/[\\w.-]+))?)';

export default defineConfig(
  { ignores: ['dist/**', 'out/**', 'out-*/**', 'node_modules/**', 'test-results/**', '.vscode-test/**', '.byok-dev/**', 'test/fixtures/**', 'sample-workspace/**'] },

  // ---- TypeScript: recommended + type-aware promise rules --------------------------------------------
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // A closure may read a variable assigned once just below it (a two-step wiring); that is not a `let` smell.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },

  // ---- layer rules (src/) -----------------------------------------------------------------------------
  zone({ files: ['src/**/*.ts'] }),
  { files: ['src/**/*.ts'], rules: { 'no-console': ['error', { allow: ['warn', 'error'] }] } },
  ...forbiddenFolder({ folder: 'src/chat', target: 'webview', allowed: ['protocol'], message: messages.chatWebview }),
  ...forbiddenFolder({ folder: 'src/config', target: 'webview', allowed: ['protocol'], message: messages.chatWebview }),
  ...closedFolder({
    folder: 'src/providers', message: messages.closedProviders, sdk: 'types',
    paths: [{ name: 'vscode', message: messages.vscode }], syntax: vscodeSyntax,
  }),
  zone({
    files: ['src/providers/sdk.ts'], sdk: 'allowed',
    paths: [{ name: 'vscode', message: messages.vscode }], syntax: vscodeSyntax,
    patterns: [{ regex: leavesFolder('src/providers', 0), message: messages.closedProviders }],
  }),
  ...closedFolder({
    folder: 'src/router', allowed: ['providers/', 'router'], message: messages.closedRouter,
    paths: [{ name: 'vscode', message: messages.vscode }], syntax: vscodeSyntax,
  }),
  zone({
    files: ['src/router.ts'],
    paths: [{ name: 'vscode', message: messages.vscode }],
    patterns: [{ regex: '^(\\.\\./|\\./(?!(providers|router)/))', message: messages.closedRouter }],
    syntax: vscodeSyntax,
  }),
  ...closedFolder({
    folder: 'src/webview/ui', allowed: ['webview/protocol'], message: messages.uiRelative,
    patterns: [{ regex: `^(?!\\.|${uiPackages}$)`, message: messages.uiPackage }],
    syntax: [{ selector: 'ImportExpression, TSImportType', message: messages.uiPackage }],
  }),
  zone({
    files: ['src/webview/protocol.ts'],
    patterns: [{ regex: '.', message: messages.protocol }],
    syntax: [{ selector: 'ImportExpression, TSImportType, CallExpression[callee.name="require"]', message: messages.protocol }],
  }),

  // ---- tests --------------------------------------------------------------------------------------------
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: '@google/generative-ai', message: messages.generativeAi }],
        patterns: [{ regex: '^@google/generative-ai/', message: messages.generativeAi }],
      }],
      'no-restricted-syntax': ['error',
        { selector: 'MemberExpression[object.name=/^(describe|it|context|suite|test)$/][property.name="only"]', message: messages.only }],
      // Tests match literal output (indented code, aligned tables): spaces read better than {2}.
      'no-regex-spaces': 'off',
    },
  },

  // ---- plain JavaScript build and bench scripts (no types) ---------------------------------------------
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', URLSearchParams: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        setImmediate: 'readonly', performance: 'readonly', fetch: 'readonly', AbortController: 'readonly',
        AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly',
        queueMicrotask: 'readonly', globalThis: 'readonly',
      },
    },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  {
    // Bench scripts run code in Chromium pages (renderPage.js, …) or pass callbacks to page.evaluate.
    files: ['scripts/bench/**/*.mjs', 'scripts/bench/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', PerformanceObserver: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' } },
  },
);
