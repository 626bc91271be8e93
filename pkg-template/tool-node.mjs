// `cloudinary-agent-account/tool` in Node.js: the tool, able to save to an env file.
import { createAccount, validateRequest } from './node.mjs';
import { resolve } from 'node:path';
import { checkDestination, saveCredentials, writeFallback } from './save.mjs';
import { makeCreateAccountTool } from './tool-core.js';

export { TOOL_NAME, description, annotations, adviceFor, toOpenAITool, toOpenAIResponsesTool, toAnthropicTool, toAISDKTool } from './tool-core.js';
export { inputSchema } from './tool-schema.js';

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
