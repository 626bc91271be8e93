'use strict';
// Node.js `require`: the wasm files are read next to this file. (node.mjs does the same for
// `import`, in a form server bundlers can follow.) scripts/build-pkg.sh bundles this file
// and what it requires into one file; node/once.js shares the instance with node.mjs.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = require('./node/once.js').once(() => {
  // Required here: when node.mjs has started the instance, this glue is never evaluated.
  const core = require('./node/core.cjs');
  core.initSync({ module: readFileSync(join(__dirname, 'core', 'cloudinary_agent_account_bg.wasm')) });
  return require('./node/instance.js').nodeApi(core, () => {
    const guidance = require('./node/guidance.cjs');
    guidance.initSync({ module: readFileSync(join(__dirname, 'guidance', 'guidance_bg.wasm')) });
    return guidance;
  });
});
