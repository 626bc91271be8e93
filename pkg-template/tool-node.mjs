// `cloudinary-agent-account/tool` in Node.js: the tool, able to save to an env file. The core
// comes through the package's own name for the reason given in tool.js.
import { resolve } from 'node:path';
import { createAccount, validateRequest, AgentAccountError } from 'cloudinary-agent-account';
import { checkDestination, saveCredentials, writeFallback } from 'cloudinary-agent-account/node';
import { makeCreateAccountTool } from './tool-core.js';

export { TOOL_NAME, description, annotations, outputSchema, adviceFor, toOpenAITool, toOpenAIResponsesTool, toAnthropicTool, toAISDKTool } from './tool-core.js';
export { inputSchema } from './tool-schema.js';
export { AgentAccountError };

/** The `create_cloudinary_account` tool: `{ name, description, inputSchema, annotations, execute }`. */
export const createAccountTool = makeCreateAccountTool({
  createAccount,
  validateRequest,
  save: {
    resolve: (file) => (typeof file === 'string' ? resolve(file) : file),
    check: checkDestination,
    save: saveCredentials,
    fallback: writeFallback,
  },
});
