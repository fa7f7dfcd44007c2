import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('npm pack makes a tarball that installs and resolves both entry points', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-pack-'));
  try {
    const quiet = { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] };
    const tarball = execFileSync('npm', ['pack', '--pack-destination', dir], quiet).trim().split('\n').at(-1);
    const app = path.join(dir, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(path.join(app, 'package.json'), '{"name":"app","version":"1.0.0","type":"module"}');
    // No dependencies to fetch: this works offline.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(dir, tarball)], { ...quiet, cwd: app });
    const probe = `
      import { Switchboard, SwitchboardError, Backoff } from '@switchboard/client';
      const react = import.meta.resolve('@switchboard/client/react');
      console.log(typeof Switchboard, typeof SwitchboardError, new Backoff().ceiling(3), react.endsWith('/dist/react.js'));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], { ...quiet, cwd: app });
    assert.equal(out.trim(), 'function function 4000 true');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
