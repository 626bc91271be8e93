'use strict';
// Node.js `require`: the wasm files are read next to this file. (node.mjs does the same for
// `import`, in a form server bundlers can follow.) scripts/build-pkg.sh bundles this file
// and what it requires into one file; node/once.cjs shares the instance with node.mjs.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = require('./node/once.cjs').once(() => require('./node/instance.cjs').start(
  () => readFileSync(join(__dirname, 'core', 'cloudinary_agent_account_bg.wasm')),
  () => readFileSync(join(__dirname, 'guidance', 'guidance_bg.wasm')),
));
