// Must NOT compile: `sdkFramework` is not a field (the wire name is `sdk_framework`).
import { createAccount } from 'cloudinary-agent-account';

void createAccount({
  email: 'jane@example.com',
  agent_framework: 'langchain',
  agent_llm_model: 'claude-opus-4-8',
  agent_goal: 'Host product images',
  sdkFramework: 'nodejs',
});
