// The public Durable Streams conformance suite (@durable-streams/server-conformance-tests 0.3.6) against the
// gateway's /streams/ prefix: on the memory store, and on Redis (the cluster's store). Every test must pass.
// The suite runs in vitest (its own runner) in a child process; its JSON report is read back here.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Gateway } from './support/gateway.js';
import { startRedis } from './support/redis.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gateways = [];
let redis;

after(async () => {
  for (const g of gateways) await g.kill();
  await redis?.stop();
});

/** Runs the suite against `base`; resolves with vitest's JSON report. */
function conformance(base, name) {
  mkdirSync(join(root, 'target'), { recursive: true });
  const report = join(root, 'target', `durable-streams-conformance-${name}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run',
      '--config', 'conformance/vitest.config.mjs', '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, env: { ...process.env, CONFORMANCE_TEST_URL: base, CONFORMANCE_API_KEY: 'dev-api-key', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 240000);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        resolve({ report: JSON.parse(readFileSync(report, 'utf8')), output });
      } catch (e) {
        reject(new Error(`no conformance report (${e.message}):\n${output.slice(-4000)}`));
      }
    });
  });
}

function failures(report) {
  return report.testResults.flatMap((f) => f.assertionResults)
    .filter((t) => t.status === 'failed').map((t) => `${t.fullName}: ${(t.failureMessages || []).join(' ').slice(0, 300)}`);
}

async function passes(gateway, name) {
  const { report, output } = await conformance(`${gateway.http}/streams`, name);
  const failed = failures(report);
  console.log(`durable streams conformance (${name}): ${report.numPassedTests} passed, ${report.numFailedTests} failed,`
    + ` ${report.numPendingTests} skipped of ${report.numTotalTests}`);
  assert.deepEqual(failed, [], output.slice(-2000));
  assert.ok(report.numPassedTests >= 332, `${report.numPassedTests} passed`);
}

test('the Durable Streams conformance suite passes in full on the memory store', async () => {
  const gateway = await Gateway.start(['--streams-long-poll-timeout', '3s']);
  gateways.push(gateway);
  await passes(gateway, 'memory');
});

test('the Durable Streams conformance suite passes in full on Redis (the cluster store)', async () => {
  redis = await startRedis();
  assert.ok(redis, 'redis-server is installed (scripts/install-deps.sh)');
  const gateway = await Gateway.start(['--engine', 'redis', '--redis', redis.url, '--streams-long-poll-timeout', '3s']);
  gateways.push(gateway);
  await passes(gateway, 'redis');
});
