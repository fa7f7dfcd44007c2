// Recovery in the browser: two gateway nodes on one Redis; the chat page's node is killed while the
// conversation goes on through the other node; the page reconnects to its restarted node and shows the
// messages it missed, replayed from the channel's history (`subscribe` with `since` → `recovered: true`).
//
// Skipped only where redis-server is not installed (scripts/install-deps.sh installs it).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Gateway } from '../support/gateway.js';
import { startRedis } from '../support/redis.js';
import { launchChromium, openPage, screenshotPath } from '../support/browser.js';

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startFirstNode() {
  const redis = await startRedis();
  if (!redis) return { skip: 'redis-server is not installed (scripts/install-deps.sh installs it)' };
  cleanups.push(() => redis.stop());
  const nodeA = await Gateway.start(['--engine', 'redis', '--redis', redis.url]);
  cleanups.push(() => nodeA.kill());
  return { redis, nodeA };
}

const setup = await startFirstNode();

test('node restarted mid-conversation: the page recovers the messages sent meanwhile through the other node', { skip: setup.skip || false }, async () => {
  const { redis, nodeA } = setup;
  const nodeB = await Gateway.start(['--engine', 'redis', '--redis', redis.url]);
  cleanups.push(() => nodeB.kill());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());

  async function joinChat(gateway, user) {
    const page = await openPage(browser, `${gateway.http}/?room=ops`);
    await page.fill('#name', user);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#status[data-state="connected"]');
    return page;
  }
  const waitForMessage = (page, text) => page.waitForFunction(
    (wanted) => [...document.querySelectorAll('#messages .msg .text')].some((n) => n.textContent === wanted), text, { timeout: 20000 });
  async function say(page, text) {
    await page.fill('#text', text);
    await page.click('#send');
  }

  const erin = await joinChat(nodeA, 'erin'); // on the node that will be restarted
  const frank = await joinChat(nodeB, 'frank');
  await erin.waitForSelector('#members li[data-user="frank"]', { timeout: 10000 });
  await say(frank, 'before the restart');
  await waitForMessage(erin, 'before the restart');

  await nodeA.kill();
  await erin.waitForSelector('#status[data-state="connecting"]');
  await say(frank, 'missed one');
  await say(frank, 'missed two');
  await waitForMessage(frank, 'missed two'); // published: in Redis history now
  await nodeA.restart();
  await erin.waitForSelector('#status[data-state="connected"]', { timeout: 20000 });
  await waitForMessage(erin, 'missed two');
  const timeline = await erin.$$eval('#messages .msg', (nodes) =>
    nodes.map((n) => (n.classList.contains('system') ? n.textContent : n.querySelector('.text').textContent)));
  assert.deepEqual(timeline.filter((t) => !t.startsWith('Connection lost')),
    ['before the restart', 'missed one', 'missed two', 'Reconnected · recovered 2 missed messages']);
  await erin.screenshot({ path: screenshotPath('chat-recovered.png'), fullPage: true });
});
