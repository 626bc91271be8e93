// Installable everywhere: the MCP Registry's server.json (validated with ajv, its name the
// package's mcpName, its versions the package's) and the MCP Bundle (`mcpb validate` on the
// manifest; the .mcpb that `make mcpb` built, unpacked by `mcpb unpack`, runs standalone and lists
// the tools over stdio).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { serverJsonSchema } from './server-json-schema.mjs';
import { ROOT } from '../support/index.mjs';

const MCPB = join(ROOT, 'node_modules', '.bin', 'mcpb');
const BUNDLE = join(ROOT, 'build', 'cloudinary-agent-account-mcp.mcpb');
const installed = JSON.parse(readFileSync(new URL('../node_modules/cloudinary-agent-account-mcp/package.json', import.meta.url), 'utf8'));
const serverJson = JSON.parse(readFileSync(join(ROOT, 'pkg-mcp', 'server.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(ROOT, 'pkg-mcp', 'manifest.json'), 'utf8'));

test('server.json validates against the registry format, and names the package as published', () => {
  const ajv = addFormats(new Ajv({ strict: true, allErrors: true }));
  const validate = ajv.compile(serverJsonSchema);
  assert.ok(validate(serverJson), ajv.errorsText(validate.errors));
  assert.match(installed.mcpName, /^io\.github\.[A-Za-z0-9-]+\/cloudinary-agent-account-mcp$/);
  assert.equal(serverJson.name, installed.mcpName, 'the registry checks mcpName in the npm package against name');
  assert.equal(serverJson.version, installed.version);
  const [npm] = serverJson.packages;
  assert.deepEqual([npm.registryType, npm.identifier, npm.version, npm.transport.type], ['npm', installed.name, installed.version, 'stdio']);
  // The schema is no blank cheque.
  assert.equal(validate({ ...serverJson, version: '^1.0.0' }), false);
  assert.equal(validate({ ...serverJson, name: 'no-slash' }), false);
  assert.equal(validate({ ...serverJson, description: 'x'.repeat(101) }), false);
  assert.ok(!JSON.stringify(serverJson).includes('cloudinary://'), 'no credentials in the listing');
});

test('the MCP Bundle: the manifest validates with mcpb, and the bundle runs standalone', async () => {
  assert.match(execFileSync(MCPB, ['validate', join(ROOT, 'pkg-mcp', 'manifest.json')], { encoding: 'utf8' }), /validation passes/);
  assert.equal(manifest.name, installed.name);
  assert.equal(manifest.version, installed.version);
  assert.ok(existsSync(BUNDLE), `no ${BUNDLE} (make mcpb)`);
  const size = statSync(BUNDLE).size;
  assert.ok(size < 8 * 1024 * 1024, `the bundle is ${size} bytes`);
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcpb-')));
  execFileSync(MCPB, ['unpack', BUNDLE, dir], { stdio: 'ignore' });
  const unpacked = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.deepEqual(unpacked, manifest);
  // What a desktop client does: substitute ${__dirname} and user_config, run with node.
  const args = unpacked.server.mcp_config.args.map((a) => a.replace('${__dirname}', dir));
  const envFile = unpacked.server.mcp_config.env.CLOUDINARY_AGENT_ENV_FILE.replace('${user_config.project_folder}', dir);
  const client = new Client({ name: 'mcpb-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({
    command: process.execPath, args, cwd: tmpdir(), stderr: 'pipe',
    env: { PATH: process.env.PATH, CLOUDINARY_AGENT_ENV_FILE: envFile },
  }));
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), unpacked.tools.map((t) => t.name));
    const none = await client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
    assert.equal(none.structuredContent.envFile ?? none.structuredContent.error.code, 'no_credentials');
    assert.ok(none.content[0].text.includes(join(dir, '.env')));
  } finally {
    await client.close();
  }
});
