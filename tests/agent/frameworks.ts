// Type checks (tsc --strict, no emit): the tool's framework shapes against each SDK's own
// types (own.ts checks the package's declarations themselves).
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { FunctionTool } from 'openai/resources/responses/responses';
import type Anthropic from '@anthropic-ai/sdk';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { tool as aiTool, jsonSchema, type Tool as AITool } from 'ai';
import {
  createAccountTool, createCloudTool, toOpenAITool, toOpenAIResponsesTool, toAnthropicTool, toAISDKTool,
} from 'cloudinary-agent-account/tool';

// OpenAI: Chat Completions and Responses.
const chat: ChatCompletionTool = toOpenAITool(createAccountTool);
const responses: FunctionTool = toOpenAIResponsesTool(createAccountTool);
// Anthropic Messages.
const anthropic: Anthropic.Messages.Tool = toAnthropicTool(createAccountTool);
// MCP's Tool (what tools/list returns).
const mcp: McpTool = {
  name: createAccountTool.name,
  description: createAccountTool.description,
  inputSchema: createAccountTool.inputSchema,
  annotations: createAccountTool.annotations,
};
// The Vercel AI SDK: its `tool()` helper accepts the shape, and the result is a Tool.
const vercel: AITool = aiTool(toAISDKTool(createAccountTool, jsonSchema, { saveTo: '.env' }));

// The cloud tool, in every shape.
const cloudShapes: [ChatCompletionTool, FunctionTool, Anthropic.Messages.Tool, McpTool, AITool] = [
  toOpenAITool(createCloudTool),
  toOpenAIResponsesTool(createCloudTool),
  toAnthropicTool(createCloudTool),
  { name: createCloudTool.name, description: createCloudTool.description, inputSchema: createCloudTool.inputSchema, annotations: createCloudTool.annotations },
  aiTool(toAISDKTool(createCloudTool, jsonSchema, { saveTo: '.env' })),
];

void [chat, responses, anthropic, mcp, vercel, cloudShapes];
