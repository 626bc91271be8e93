'use strict';
// Node.js `require`: the wasm files are read next to this file. (node.mjs does the same for
// `import`, in a form server bundlers can follow; both share node/instance.cjs.)
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = require('./node/instance.cjs').start(
  () => readFileSync(join(__dirname, 'core', 'cloudinary_agent_account_bg.wasm')),
  () => readFileSync(join(__dirname, 'guidance', 'guidance_bg.wasm')),
);
