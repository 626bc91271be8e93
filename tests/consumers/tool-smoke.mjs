// The `/tool` half of every consumer app: `createAccountTool.execute` against the emulator,
// imported beside the main entry, so that the app proves the two share one core (one wasm
// instance, one error class) under its bundler's or runtime's export conditions. Runtimes
// with a file system pass `node` ({ saveTo, readCloudinaryUrl } from `/node`); the others get
// the credentials through onAccount.
// `/tool` before the main entry, so that a tool with a loader of its own would run it first.
import * as tool from 'cloudinary-agent-account/tool';
import { AgentAccountError } from 'cloudinary-agent-account';

export async function runTool(baseUrl, node) {
  const input = {
    email: `tool-${Date.now()}-${Math.floor(Math.random() * 1e9)}@example.com`,
    agent_framework: 'langchain',
    agent_llm_model: 'claude-opus-4-8',
    agent_goal: 'Check the tool subpath in a consumer app',
  };
  let handed;
  const options = node ? { baseUrl, saveTo: node.saveTo } : { baseUrl, onAccount: (a) => { handed = a; } };
  const result = await tool.createAccountTool.execute(input, options);
  const url = node ? await node.readCloudinaryUrl(node.saveTo) : null;
  const secret = node ? url && url.slice(url.indexOf(':', 'cloudinary://'.length) + 1, url.lastIndexOf('@'))
    : handed && handed.product_environments[0].api_secret;
  const again = await tool.createAccountTool.execute(input, { baseUrl, onAccount: () => {} });
  return {
    toolOk: result.ok === true,
    credentialsKept: node ? result.credentials.action === 'created' && Boolean(secret) : Boolean(secret),
    toolHasSecret: !secret || JSON.stringify(result).includes(secret),
    againCode: again.ok ? null : again.error.code,
    // The class the tool's core throws is the main entry's: one glue, one instance.
    oneErrorClass: tool.AgentAccountError === AgentAccountError && typeof AgentAccountError === 'function',
  };
}
