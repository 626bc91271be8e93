// `cloudinary-agent-account-mcp install`: the installed bin, with a temporary HOME and working
// directory, writes each client's file at each scope, keeps the other entries and keys, updates
// its own, refuses a file that is not JSON (naming it, leaving it as it was), and --print writes
// nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, statSync, readdirSync, realpathSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account-mcp', import.meta.url));
const ENTRY = { command: 'npx', args: ['-y', 'cloudinary-agent-account-mcp'] };

function place() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-install-')));
  const home = join(root, 'home');
  const cwd = join(root, 'project');
  mkdirSync(home);
  mkdirSync(cwd);
  return { home, cwd };
}

function run({ home, cwd }, ...args) {
  const r = spawnSync(BIN, ['install', ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: '', APPDATA: '' },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const json = (file) => JSON.parse(readFileSync(file, 'utf8'));

const CASES = [
  ['claude-code', '--project', (p) => join(p.cwd, '.mcp.json'), 'mcpServers', { type: 'stdio', ...ENTRY }],
  ['claude-code', '--global', (p) => join(p.home, '.claude.json'), 'mcpServers', { type: 'stdio', ...ENTRY }],
  ['cursor', '--project', (p) => join(p.cwd, '.cursor', 'mcp.json'), 'mcpServers', ENTRY],
  ['cursor', '--global', (p) => join(p.home, '.cursor', 'mcp.json'), 'mcpServers', ENTRY],
  ['vscode', '--project', (p) => join(p.cwd, '.vscode', 'mcp.json'), 'servers', { type: 'stdio', ...ENTRY }],
  ['vscode', '--global', (p) => join(p.home, '.config', 'Code', 'User', 'mcp.json'), 'servers', { type: 'stdio', ...ENTRY }],
];

for (const [client, scope, fileOf, key, entry] of CASES) {
  test(`install --client ${client} ${scope}: adds, keeps other entries, updates, is idempotent`, () => {
    const p = place();
    const file = fileOf(p);
    // A new file.
    let r = run(p, '--client', client, scope);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `added "cloudinary-account" in ${file}\n`);
    assert.deepEqual(json(file), { [key]: { 'cloudinary-account': entry } });
    // An existing file with other servers and other keys: only our entry changes.
    const other = { [key]: { other: { command: 'other-server', args: ['--x'] }, 'cloudinary-account': { command: 'old' } }, theme: 'dark', projects: { '/x': { mcpServers: { a: { command: 'a' } } } } };
    writeFileSync(file, JSON.stringify(other));
    chmodSync(file, 0o600);
    r = run(p, '--client', client, scope);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^updated /);
    assert.deepEqual(json(file), { ...other, [key]: { other: other[key].other, 'cloudinary-account': entry } });
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the file keeps its mode');
    const text = readFileSync(file, 'utf8');
    r = run(p, '--client', client, scope);
    assert.match(r.stdout, /^unchanged /);
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.deepEqual(readdirSync(join(file, '..')).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left');
  });
}

test('install is project scope by default; --print writes nothing and prints JSON alone', () => {
  const p = place();
  const r = run(p, '--client', 'vscode', '--print');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { servers: { 'cloudinary-account': { type: 'stdio', ...ENTRY } } });
  assert.match(r.stderr, /\.vscode\/mcp\.json/);
  assert.ok(!existsSync(join(p.cwd, '.vscode')));
  assert.equal(run(p, '--client', 'cursor').code, 0);
  assert.ok(existsSync(join(p.cwd, '.cursor', 'mcp.json')));
  assert.ok(!existsSync(join(p.home, '.cursor')));
});

test('a file that is not valid JSON (a comment), or not an object, is refused by name and left as it was', () => {
  const p = place();
  mkdirSync(join(p.cwd, '.vscode'));
  const file = join(p.cwd, '.vscode', 'mcp.json');
  const jsonc = '{\n  // mine\n  "servers": {}\n}\n';
  writeFileSync(file, jsonc);
  let r = run(p, '--client', 'vscode');
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(file), r.stderr);
  assert.match(r.stderr, /not valid JSON/);
  assert.equal(readFileSync(file, 'utf8'), jsonc);
  writeFileSync(join(p.cwd, '.mcp.json'), '{"mcpServers": []}');
  r = run(p, '--client', 'claude-code');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /"mcpServers" is not an object/);
  assert.equal(readFileSync(join(p.cwd, '.mcp.json'), 'utf8'), '{"mcpServers": []}');
});

test('install: a missing or unknown client, or an unknown flag, is a usage error', () => {
  const p = place();
  assert.equal(run(p).code, 2);
  const r = run(p, '--client', 'emacs');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /claude-code, cursor, vscode/);
  assert.equal(run(p, '--client', 'cursor', '--everywhere').code, 2);
});
