// `cloudinary-agent-account/tool` outside Node: the tools without file saving (pass onAccount,
// onCloud). The core comes through the package's own name, so the export conditions that chose
// the app's main entry choose it here too: one wasm instance and one error class per app,
// whatever the runtime or bundler (a relative import would pin one loader for all of them).
import { createAccount, validateRequest, createCloud, validateCloudRequest } from 'cloudinary-agent-account';
import { makeCreateAccountTool, makeCreateCloudTool } from './tool-core.js';

export * from './tool-exports.js';

/** The `create_cloudinary_account` tool: `{ name, description, inputSchema, annotations, execute }`. */
export const createAccountTool = makeCreateAccountTool({ createAccount, validateRequest });

/** The `create_cloudinary_cloud` tool: `{ name, description, inputSchema, annotations, execute }`. */
export const createCloudTool = makeCreateCloudTool({ createCloud, validateCloudRequest });
