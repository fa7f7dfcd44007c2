'use strict';
// Soketi requires uWebSockets.js, which its authors publish only as a GitHub tag; uws-pack republishes the same
// native addon on npm, one binary per platform and Node ABI. This shim loads the one for the running Node, and
// fails with a sentence when there is none (uws-pack 20.0.8 carries Node 18, 20, 21 and 22).
const fs = require('fs');
const path = require('path');

const bin = path.join(__dirname, '..', 'node_modules', 'uws-pack', 'dist', 'bin',
  `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`);
if (!fs.existsSync(bin)) {
  throw new Error(`no uWebSockets.js binary for ${process.platform}/${process.arch} Node ABI `
    + `${process.versions.modules} (Node ${process.version}) in uws-pack: ${bin}`);
}
module.exports = require(bin);
