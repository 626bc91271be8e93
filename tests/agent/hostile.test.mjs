// Issue 20, §4: a hostile server. A node:http server on 127.0.0.1 (a port chosen at run time)
// answers createAccount with crafted accounts: the secret copied into printed fields and
// encoded (base64 of key:secret, upper case, reversed, hex, URL-encoded), terminal escape
// sequences (OSC 52, a title change, ESC[2J), bidi controls and line separators in every
// text field, and values of the wrong alphabet. The library, the tool, the CLI in every
// output mode and the MCP server are driven against it; no output may hold the secret (in
// any of those forms) or a control sequence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createAccount } from 'cloudinary-agent-account';
import { createAccountTool } from 'cloudinary-agent-account/tool';
import { startServer, request } from '../support/index.mjs';

const CLI = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account', import.meta.url));
const MCP = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account-mcp', import.meta.url));
const KEY = '123456789012345';
const SECRET = 'FAKE-crafted-Secret-7f3kQ9zLm2';
const B64 = Buffer.from(`${KEY}:${SECRET}`).toString('base64');
const FORMS = {
  plain: SECRET,
  upper: SECRET.toUpperCase(),
  reversed: [...SECRET].reverse().join(''),
  hex: Buffer.from(SECRET).toString('hex'),
  base64: B64,
  'url-encoded': encodeURIComponent(`${SECRET}/`),
};
const NASTY = '\u001b]52;c;ZXZpbA==\u0007\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e\u2028';
// Controls a terminal acts on; \n, \t and (under script(1)) \r are plain layout.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

function account(env, extra = {}) {
  const e = { external_id: 'e', cloud_name: 'dka770o32n', api_key: KEY, api_secret: SECRET, ...env };
  e.api_environment_variable ??= `CLOUDINARY_URL=cloudinary://${e.api_key}:${e.api_secret}@${e.cloud_name}`;
  return { external_id: 'x', email: 'jane@example.com', plan_name: 'free', guidance: 'Verify the e-mail.', product_environments: [e], ...extra };
}

// Crafted answers the core accepts (the secret where it does not belong, escape sequences in
// the fields it does not check), and answers it refuses (values of the wrong alphabet).
const ACCEPTED = {
  'secret as cloud name': account({ cloud_name: SECRET }),
  'secret forms in guidance, plan and unknown fields': account({}, {
    guidance: `Use ${Object.values(FORMS).join(' or ')}; Authorization: Basic ${B64} ${NASTY}`,
    plan_name: `free ${FORMS.upper} ${NASTY}`,
    apiSecret: SECRET,
    extra: { API_SECRET: SECRET, note: `CLOUDINARY://${KEY}:${SECRET}@` },
  }),
  'escape sequences in guidance and plan': account({}, { guidance: `# Hi${NASTY}\n\n**bold**${NASTY}`, plan_name: NASTY, [`k${NASTY}`]: NASTY }),
};
const REFUSED = {
  'U+2028 in the e-mail': account({}, { email: 'jane@example.com\u2028NODE_OPTIONS=--require=./evil.js #' }),
  'escapes in the e-mail': account({}, { email: `jane@example.com${NASTY}` }),
  'escapes in the cloud name': account({ cloud_name: `product1${NASTY}` }),
  'a quote and $ in the secret': account({ api_secret: "FAKE-hostile-'$(touch pwned)'" }),
  'a URL other than the fields': account({ api_environment_variable: `CLOUDINARY_URL=cloudinary://${KEY}:${SECRET}@product1\nNODE_OPTIONS=x` }),
};

let server;
let body = '';
before(async () => {
  server = await startServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `Basic ${B64}` });
    res.end(body);
  });
});
after(async () => { await server.stop(); });

/** Every string inside `v` (keys too), for checks that JSON escaping would hide. */
function strings(v, out = []) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); strings(x, out); }
  return out;
}

function assertClean(output, where) {
  const texts = typeof output === 'string' ? [output] : strings(output);
  for (const t of texts) {
    const l = t.toLowerCase();
    for (const [name, form] of Object.entries(FORMS)) {
      const f = form.toLowerCase();
      for (let i = 0; i + 8 <= f.length; i += 1) {
        assert.ok(!l.includes(f.slice(i, i + 8)), `${where}: holds a piece of the secret (${name})`);
      }
    }
    assert.ok(!CONTROL.test(t), `${where}: holds a control character (U+${(CONTROL.exec(t) || [''])[0].codePointAt(0)?.toString(16)})`);
  }
}

const gitRepo = () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-hostile-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
};

function runCli(args, { cwd, tty = false }) {
  const env = { PATH: process.env.PATH, NO_COLOR: '1', HOME: cwd };
  const [cmd, argv] = tty
    ? ['script', ['-qefc', [CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' '), '/dev/null']]
    : [CLI, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const [name, answer] of Object.entries({ ...ACCEPTED, ...REFUSED })) {
  const refused = name in REFUSED;
  test(`hostile answer "${name}": the library ${refused ? 'refuses it' : 'resolves'}, and no output of the library, tool, CLI or MCP server holds the secret or a control sequence`, async () => {
    body = JSON.stringify(answer);
    // The library.
    if (refused) {
      const e = await createAccount(request(), { baseUrl: server.url }).then(() => assert.fail('accepted'), (x) => x);
      assert.equal(e.code, 'unexpected_response');
      assert.deepEqual(e.body, answer, 'the answer is reachable as `body`');
      assert.ok(!Object.keys(e).includes('body'), 'not enumerable');
      for (const [how, text] of [['message', e.message], ['toString', String(e)], ['JSON', JSON.stringify(e)], ['inspect', inspect(e)]]) {
        assertClean(text, `the error's ${how}`);
      }
    } else {
      assert.ok((await createAccount(request(), { baseUrl: server.url })).product_environments);
    }
    // The tool (saving into a fresh repository).
    const dir = gitRepo();
    const result = await createAccountTool.execute(request(), { baseUrl: server.url, saveTo: join(dir, '.env') });
    assert.equal(result.ok, !refused, JSON.stringify(result.error));
    assertClean(result, 'the tool result');
    // The CLI, every output mode.
    for (const mode of ['piped', 'json', 'tty']) {
      const cwd = gitRepo();
      const req = request();
      const args = ['signup', '--email', req.email, '--goal', req.agent_goal, '--framework', 'f1', '--model', 'm1', '--base-url', server.url];
      if (mode === 'json') args.push('--json');
      const r = await runCli(args, { cwd, tty: mode === 'tty' });
      assert.equal(r.code, refused ? 6 : 0, `${mode}: ${r.stderr}`);
      assertClean(r.stdout, `CLI ${mode} stdout`);
      assertClean(r.stderr, `CLI ${mode} stderr`);
      if (mode === 'json') JSON.parse(r.stdout);
      if (!refused) {
        const s = await runCli(['status', ...(mode === 'json' ? ['--json'] : []), '--base-url', server.url], { cwd, tty: mode === 'tty' });
        assertClean(s.stdout, `CLI status ${mode} stdout`);
        assertClean(s.stderr, `CLI status ${mode} stderr`);
      }
    }
    // The MCP server.
    const transport = new StdioClientTransport({ command: MCP, args: [], cwd: gitRepo(), env: { PATH: process.env.PATH, CLOUDINARY_AGENT_BASE_URL: server.url }, stderr: 'pipe' });
    let stderr = '';
    transport.stderr.on('data', (d) => { stderr += d; });
    const client = new Client({ name: 'hostile-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const created = await client.callTool({ name: 'create_cloudinary_account', arguments: request() });
      assert.equal(created.structuredContent.ok, !refused);
      assertClean(created, 'the MCP create result');
      const checked = await client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
      assertClean(checked, 'the MCP check result');
      assert.equal(checked.structuredContent.requestId, undefined, 'a request id holding the credential is dropped');
    } finally {
      await client.close();
    }
    assertClean(stderr, 'the MCP stderr');
  });
}
