// CommonJS consumers: `require` works on Node 20 without any flag.
const { test } = require('node:test');
const assert = require('node:assert/strict');

test('require() loads the package', () => {
  const { createAccount, validateRequest, AgentAccountError } = require('cloudinary-agent-account');
  assert.equal(typeof createAccount, 'function');
  assert.deepEqual(validateRequest({ email: 'a@example.com', agent_framework: 'ab', agent_llm_model: 'cd', agent_goal: 'ef' }), []);
  assert.equal(AgentAccountError.name, 'AgentAccountError');
});

test('require() of the ESM-only /tool entry works where Node can require ESM (no top-level await)', { skip: !process.features.require_module }, () => {
  const tool = require('cloudinary-agent-account/tool');
  assert.equal(typeof tool.createAccountTool.execute, 'function');
});
