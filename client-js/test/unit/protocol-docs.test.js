import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { current } from '../../scripts/protocol-docs.mjs';

test("the reference tables of docs/protocol.md and docs/hooks.md are the schema's (npm run docs rewrites them)", () => {
  for (const { file, text } of current()) {
    assert.equal(readFileSync(file, 'utf8'), text,
      `${path.basename(file)}: the schema changed: run \`npm run docs\` in client-js and commit the docs`);
  }
});
