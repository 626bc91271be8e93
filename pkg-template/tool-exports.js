// What `/tool` exports besides its two tools, the same in every runtime: tool.js and
// tool-node.mjs re-export this list, so a new name is one edit.
export {
  TOOL_NAME, description, annotations, outputSchema, adviceFor,
  CLOUD_TOOL_NAME, cloudDescription, cloudAnnotations, cloudOutputSchema, cloudAdviceFor, cloudState,
  toOpenAITool, toOpenAIResponsesTool, toAnthropicTool, toAISDKTool,
} from './tool-core.js';
export { inputSchema, cloudInputSchema } from './tool-schema.js';
export { AgentAccountError } from 'cloudinary-agent-account';
