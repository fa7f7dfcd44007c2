import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OUTPUT_FILE, generated } from '../../scripts/protocol-types.mjs';

test('src/protocol.ts is what the protocol schema generates (npm run types rewrites it)', () => {
  assert.equal(readFileSync(OUTPUT_FILE, 'utf8'), generated(),
    'the schema changed: run `npm run types` in client-js and commit src/protocol.ts');
});
