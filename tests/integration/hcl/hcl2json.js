// Parses Terraform files with @cdktf/hcl2json (HashiCorp's HCL parser compiled to WebAssembly) and prints
// {"<file>": <json>} for every file given. Exit 1 with the parser's message on the first syntax error.
// Usage: NODE_PATH=<dir>/node_modules node hcl2json.js FILE...
'use strict';
const fs = require('fs');
const { parse } = require('@cdktf/hcl2json');

(async () => {
  const out = {};
  for (const file of process.argv.slice(2)) {
    try {
      out[file] = await parse(file, fs.readFileSync(file, 'utf8'));
    } catch (e) {
      console.error(`syntax error in ${file}: ${e.message || e}`);
      process.exit(1);
    }
  }
  process.stdout.write(JSON.stringify(out));
})();
