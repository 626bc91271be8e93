'use strict';
// Node.js `require`: the wasm files are read next to this file. (node.mjs does the same for
// `import`, in a form server bundlers can follow.) scripts/build-pkg.sh bundles this file
// and what it requires into one file; node/once.js shares the instance with node.mjs.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = require('./node/once.js').once(() => {
  // Required here: when node.mjs has started the instance, these glues are never evaluated.
  const rules = require('./node/rules.cjs');
  // The client's glue: evaluated now for its error class and request packer (exported beside
  // it, from its one copy of objects.js), instantiated on the first call that needs it.
  const core = require('./node/core.cjs');
  rules.initSync({ module: readFileSync(join(__dirname, 'rules', 'rules_bg.wasm')) });
  return require('./node/instance.js').nodeApi(rules, core, () => {
    core.initSync({ module: readFileSync(join(__dirname, 'core', 'cloudinary_agent_account_bg.wasm')) });
  }, () => {
    const guidance = require('./node/guidance.cjs');
    guidance.initSync({ module: readFileSync(join(__dirname, 'guidance', 'guidance_bg.wasm')) });
    return guidance;
  });
});
