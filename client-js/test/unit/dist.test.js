import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/ is committed: the gateway's jar serves it (/sdk/) and `./switchboard run` builds the jar with a JDK and
// Maven only, no Node. This keeps it equal to what the TypeScript sources compile to.
const root = fileURLToPath(new URL('../..', import.meta.url));

function files(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]).sort();
}

test('dist/ is what src/ compiles to (npm run build rewrites it)', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'sb-dist-'));
  try {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json'), '--outDir', out], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const dist = path.join(root, 'dist');
    assert.deepEqual(files(dist), files(out), 'the same files');
    for (const file of files(out)) {
      assert.equal(readFileSync(path.join(dist, file), 'utf8'), readFileSync(path.join(out, file), 'utf8'),
        `dist/${file} is stale: run \`npm run build\` in client-js and commit dist/`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
