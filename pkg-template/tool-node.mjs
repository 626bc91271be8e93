// `cloudinary-agent-account/tool` in Node.js: the tools, able to save to an env file. The core
// comes through the package's own name for the reason given in tool.js.
import { resolve } from 'node:path';
import { createAccount, validateRequest, createCloud, validateCloudRequest } from 'cloudinary-agent-account';
import { checkDestination, saveCredentials, writeFallback } from 'cloudinary-agent-account/node';
import { makeCreateAccountTool, makeCreateCloudTool } from './tool-core.js';

export * from './tool-exports.js';

// Both tools save the same way, and one creation per env file at a time across both.
const save = {
  resolve: (file) => (typeof file === 'string' ? resolve(file) : file),
  check: checkDestination,
  save: saveCredentials,
  fallback: writeFallback,
};

/** The `create_cloudinary_account` tool: `{ name, description, inputSchema, annotations, execute }`. */
export const createAccountTool = makeCreateAccountTool({ createAccount, validateRequest, save });

/** The `create_cloudinary_cloud` tool: `{ name, description, inputSchema, annotations, execute }`. */
export const createCloudTool = makeCreateCloudTool({ createCloud, validateCloudRequest, save });
