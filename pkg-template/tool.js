// `cloudinary-agent-account/tool` outside Node: the tool without file saving (pass onAccount).
// The core comes through the package's own name, so the export conditions that chose the
// app's main entry choose it here too: one wasm instance and one error class per app,
// whatever the runtime or bundler (a relative import would pin one loader for all of them).
import { createAccount, validateRequest, AgentAccountError } from 'cloudinary-agent-account';
import { makeCreateAccountTool } from './tool-core.js';

export { TOOL_NAME, description, annotations, outputSchema, adviceFor, toOpenAITool, toOpenAIResponsesTool, toAnthropicTool, toAISDKTool } from './tool-core.js';
export { inputSchema } from './tool-schema.js';
export { AgentAccountError };

/** The `create_cloudinary_account` tool: `{ name, description, inputSchema, annotations, execute }`. */
export const createAccountTool = makeCreateAccountTool({ createAccount, validateRequest });
