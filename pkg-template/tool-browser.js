// `cloudinary-agent-account/tool` for browser: the tool without file saving (pass onAccount).
import { createAccount, validateRequest } from './browser-core.js';
import { makeCreateAccountTool } from './tool-core.js';

export { TOOL_NAME, description, annotations, adviceFor, toOpenAITool, toOpenAIResponsesTool, toAnthropicTool, toAISDKTool } from './tool-core.js';
export { inputSchema } from './tool-schema.js';

/** The `create_cloudinary_account` tool: `{ name, description, inputSchema, annotations, execute }`. */
export const createAccountTool = makeCreateAccountTool({ createAccount, validateRequest });
