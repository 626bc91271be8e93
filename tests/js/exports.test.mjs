// One export list: every entry of the installed package exports exactly expose.js's API (and
// EXTRAS where it is a full entry), and the type declarations declare exactly those values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('cloudinary-agent-account/package.json'));
const { API, EXTRAS } = await import(pathToFileURL(join(root, 'expose.js')).href);
const text = (f) => readFileSync(join(root, f), 'utf8');
const sorted = (names) => [...names].sort();

// Every name an ES module's source exports, read from its export statements (the browser,
// workerd, edge-light and wasm-file entries cannot be imported in Node: they fetch or import
// their wasm their own way).
function exportedNames(file, seen = new Set()) {
  const src = text(file);
  const names = [];
  for (const m of src.matchAll(/^export const \{([^}]*)\}/gm)) names.push(...m[1].split(',').map((s) => s.trim()).filter(Boolean));
  for (const m of src.matchAll(/^export \{([^}]*)\}/gm)) names.push(...m[1].split(',').map((s) => s.trim().split(/\s+as\s+/).pop()).filter(Boolean));
  for (const m of src.matchAll(/^export \* from '\.\/([^']+)'/gm)) {
    if (!seen.has(m[1])) { seen.add(m[1]); names.push(...exportedNames(m[1], seen)); }
  }
  return names;
}

test('the core entries of every runtime export exactly API and the credential helpers', () => {
  for (const entry of ['browser-core.js', 'workerd-core.js', 'edge-light-core.js', 'wasm-file-core.js']) {
    assert.deepEqual(sorted(exportedNames(entry)), sorted([...API, 'redact', 'toDotenv', 'REDACTED']), entry);
  }
});

test('the full entries export API and EXTRAS', () => {
  for (const entry of ['browser.js', 'workerd.js', 'edge-light.js', 'wasm-file.js']) {
    assert.deepEqual(sorted(exportedNames(entry)), sorted([...API, ...EXTRAS]), entry);
  }
});

test('Node: import and require of the package and of /core give exactly API and EXTRAS, each defined', async () => {
  const want = sorted([...API, ...EXTRAS]);
  for (const mod of [await import('cloudinary-agent-account'), await import('cloudinary-agent-account/core')]) {
    assert.deepEqual(sorted(Object.keys(mod)), want);
    for (const name of want) assert.notEqual(mod[name], undefined, name);
  }
  assert.deepEqual(sorted(Object.keys(require('cloudinary-agent-account'))), want);
});

// The values a .d.ts exports: `export { a, b } from`, `export function`, `export declare
// function|class|const`, following `export * from './x.js'` to x.d.ts; types are left out.
function declaredValues(file, seen = new Set()) {
  const src = text(file);
  const names = [];
  for (const m of src.matchAll(/^export \{([^}]*)\} from '([^']+)'/gm)) names.push(...m[1].split(',').map((s) => s.trim()).filter((s) => s && !s.startsWith('type ')));
  for (const m of src.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)) names.push(m[1]);
  for (const m of src.matchAll(/^export \* from '\.\/([^']+)\.js'/gm)) {
    const f = `${m[1]}.d.ts`;
    if (!seen.has(f)) { seen.add(f); names.push(...declaredValues(f, seen)); }
  }
  return names;
}

test('the type declarations declare exactly those values', () => {
  assert.deepEqual(sorted(declaredValues('core.d.ts')), sorted([...API, 'redact', 'toDotenv', 'REDACTED']));
  assert.deepEqual(sorted(declaredValues('index.d.ts')), sorted([...API, ...EXTRAS]));
  // Each one the core declaration re-exports is declared in the generated glue's types.
  const glue = text('core/cloudinary_agent_account.d.ts');
  for (const name of ['createAccount', 'createCloud', 'validateRequest', 'isValidRequest', 'validateCloudRequest', 'isValidCloudRequest']) {
    assert.match(glue, new RegExp(`^export function ${name}\\(`, 'm'), name);
  }
  assert.match(glue, /^export declare class AgentAccountError /m);
});

test('/tool: the Node and the other runtimes\' entries export the same names, and tool.d.ts declares them', async () => {
  const node = sorted(Object.keys(await import('cloudinary-agent-account/tool')));
  const tool = sorted(exportedNames('tool.js').concat(['createAccountTool', 'createCloudTool']).filter((n, i, a) => a.indexOf(n) === i));
  assert.deepEqual(node, tool);
  for (const name of node) assert.match(text('tool.d.ts'), new RegExp(`^export (?:declare )?(?:function|class|const) ${name}\\b|^export \\{[^}]*\\b${name}\\b`, 'm'), name);
});
