// The streaming page's resumable answers in real headless Chromium, on a gateway on the Redis engine: the page
// reloads mid-answer and shows the whole answer again, then the rest live; the gateway restarts mid-answer
// (SIGTERM: it closes its sockets with 1012 and lets the answer finish into its stream) and the page resumes it
// from the restarted node. Every word once, in order, both times.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Gateway } from '../support/gateway.js';
import { startRedis } from '../support/redis.js';
import { launchChromium, openPage, screenshotPath } from '../support/browser.js';

const ANSWER_START = 'You asked: "how do streams survive?". Switchboard streams replies chunk by chunk';
const ANSWER_END = 'so no work continues for a client that has gone away.';
let redis;
let gateway;
let browser;

before(async () => {
  redis = await startRedis();
  assert.ok(redis, 'redis-server is needed (scripts/install-deps.sh installs it)');
  [gateway, browser] = await Promise.all([
    Gateway.start(['--engine', 'redis', '--redis', redis.url, '--token-secret', 'resumable-e2e-secret-resumable-e2e!!']),
    launchChromium(),
  ]);
});

after(async () => {
  await browser?.close();
  await gateway?.kill();
  await redis?.stop();
});

async function ask(page) {
  await page.waitForSelector('#status[data-state="connected"]');
  await page.fill('#prompt', 'how do streams survive?');
  await page.click('#start');
  await page.waitForFunction(() => document.querySelector('#output').textContent.split(' ').length > 8);
}

function assertWholeAnswer(text) {
  const words = text.trim();
  assert.ok(words.startsWith(ANSWER_START), words.slice(0, 120));
  assert.ok(words.endsWith(ANSWER_END), words.slice(-120));
  assert.equal(words.split(ANSWER_START).length, 2, 'the answer is not repeated');
  assert.equal(words.split(' ').length, new Set(words.split(' ').map((w, i) => `${i}:${w}`)).size);
}

test('a reload mid-answer: the page resumes the answer from its start, then live, every word once', async () => {
  const page = await openPage(browser, `${gateway.http}/stream.html?user=reloader`);
  await ask(page);
  const before = await page.textContent('#output');
  await page.reload();
  await page.waitForSelector('#stream-status[data-reason="complete"]', { timeout: 20000 });
  assert.match(await page.textContent('#stream-status'), /resumed after a reload: complete/);
  const text = await page.textContent('#output');
  assert.ok(text.startsWith(before.trim().split(' ').slice(0, 5).join(' ')), 'the part shown before the reload is back');
  assertWholeAnswer(text);
  await page.screenshot({ path: screenshotPath('stream-resumed-after-reload.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a gateway restart mid-answer: the answer finishes into its stream and the page resumes it', async () => {
  const page = await openPage(browser, `${gateway.http}/stream.html?user=restarter`);
  await ask(page);
  await gateway.stop(); // SIGTERM: sockets closed with 1012; the reply finishes into Redis before the exit
  await gateway.restart();
  await page.waitForSelector('#stream-status[data-reason="complete"]', { timeout: 30000 });
  assertWholeAnswer(await page.textContent('#output'));
  await page.screenshot({ path: screenshotPath('stream-resumed-after-restart.png') });
  await page.context().close();
});
