// The demo app in real headless Chromium against a real gateway: chat with presence, direct messages
// to every tab of a user, the streaming page's Stop, and a gateway restart in the middle of a chat.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshotPath, startGatewayAndBrowser, stopGatewayAndBrowser } from '../support/browser.js';

let gateway;
let browser;

before(async () => ({ gateway, browser } = await startGatewayAndBrowser()));
after(() => stopGatewayAndBrowser({ gateway, browser }));

/** Opens the chat in a new session (or `context`) and joins as `user`; resolves once connected. */
async function joinChat(user, { context, query = '' } = {}) {
  const page = await openPage(browser, `${gateway.http}/${query}`, context);
  await page.fill('#name', user);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#status[data-state="connected"]');
  return page;
}

async function say(page, text) {
  await page.fill('#text', text);
  await page.click('#send');
}

function messageTexts(page) {
  return page.$$eval('#messages .msg:not(.system) .text', (nodes) => nodes.map((n) => n.textContent));
}

async function waitForMessage(page, text, timeout = 10000) {
  await page.waitForFunction(
    (wanted) => [...document.querySelectorAll('#messages .msg .text')].some((n) => n.textContent === wanted),
    text,
    { timeout },
  );
}

async function waitForMember(page, user) {
  await page.waitForSelector(`#members li[data-user="${user}"]`, { timeout: 10000 });
}

test('two browser sessions chat in a room and see each other in the presence list', async () => {
  const alice = await joinChat('alice');
  const bob = await joinChat('bob');
  await waitForMember(alice, 'bob');
  await waitForMember(bob, 'alice');

  await say(alice, 'Hi Bob, can you see me?');
  await waitForMessage(bob, 'Hi Bob, can you see me?');
  await say(bob, 'Loud and clear, Alice.');
  await waitForMessage(alice, 'Loud and clear, Alice.');
  assert.deepEqual(await messageTexts(alice), ['Hi Bob, can you see me?', 'Loud and clear, Alice.']);
  assert.equal(await alice.textContent('#messages .msg.mine .text'), 'Hi Bob, can you see me?');

  // A second room: presence is per channel.
  for (const page of [alice, bob]) {
    await page.fill('#room-name', 'random');
    await page.click('#new-room button');
  }
  await waitForMember(alice, 'bob');
  await say(bob, 'Over here in #random');
  await waitForMessage(alice, 'Over here in #random');
  assert.equal(await alice.textContent('#view-title'), '# random');

  // Back in the lobby for the screenshot; leaving #random removes bob from its presence list.
  await alice.click('#rooms button[data-view="lobby"]');
  await bob.click('#leave');
  await alice.screenshot({ path: screenshotPath('chat.png'), fullPage: true });
  await alice.click('#rooms button[data-view="random"]');
  await alice.waitForSelector('#members li[data-user="bob"]', { state: 'detached', timeout: 10000 });
  assert.deepEqual([...alice.errors, ...bob.errors], []);
  await Promise.all([alice.context().close(), bob.context().close()]);
});

test('a direct message reaches both tabs of one user, from a user and from the curl command', async () => {
  const carolTab1 = await joinChat('carol');
  const carolTab2 = await joinChat('carol', { context: carolTab1.context() });
  const dave = await joinChat('dave');
  await waitForMember(dave, 'carol');

  // Click carol in the presence list: opens the direct view addressed to her.
  await dave.click('#members li[data-user="carol"]');
  assert.equal(await dave.inputValue('#to'), 'carol');
  await say(dave, 'Psst, Carol');
  for (const tab of [carolTab1, carolTab2]) {
    await tab.waitForSelector('#rooms button[data-view="@direct"] .badge');
    await tab.click('#rooms button[data-view="@direct"]');
    await waitForMessage(tab, 'Psst, Carol');
    assert.match(await tab.textContent('#messages .msg.dm .meta'), /^dave ·/);
  }
  await waitForMessage(dave, 'Psst, Carol'); // the sender's copy

  // The page shows a curl command for the HTTP API: run exactly what it shows (URL, key, body).
  const curl = await carolTab1.textContent('#curl');
  const url = /curl -X POST (\S+)/.exec(curl)[1];
  const key = /Authorization: Bearer ([^']+)'/.exec(curl)[1];
  const body = /-d '(.+)'/.exec(curl)[1];
  assert.equal(url, `${gateway.http}/api/send`);
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
  assert.equal(response.status, 200);
  for (const tab of [carolTab1, carolTab2]) await waitForMessage(tab, 'Hello from a backend');
  // The same page on a phone-sized screen: one column, nothing cut off sideways.
  await carolTab2.setViewportSize({ width: 390, height: 844 });
  const overflow = await carolTab2.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than a phone screen`);
  await carolTab2.screenshot({ path: screenshotPath('chat-phone.png'), fullPage: true });
  assert.deepEqual([...carolTab1.errors, ...carolTab2.errors, ...dave.errors], []);
  await Promise.all([carolTab1.context().close(), dave.context().close()]);
});

test('the streaming demo streams word by word and Stop cancels it', async () => {
  const page = await openPage(browser, `${gateway.http}/stream.html?user=streamer`);
  await page.waitForSelector('#status[data-state="connected"]');
  await page.fill('#prompt', Array.from({ length: 120 }, (_, i) => `word${i}`).join(' '));
  await page.click('#start');
  await page.waitForFunction(() => document.querySelector('#output').textContent.split(' ').length > 5);
  assert.equal(await page.isEnabled('#stop'), true);
  await page.click('#stop');
  await page.waitForSelector('#stream-status[data-reason="cancelled"]', { timeout: 5000 });
  const stopped = await page.textContent('#output');
  await page.waitForTimeout(400); // the demo streams a word per ~50 ms: nothing more may arrive
  assert.equal(await page.textContent('#output'), stopped);
  assert.match(await page.textContent('#stream-status'), /stopped after \d+ chunks/);
  await page.screenshot({ path: screenshotPath('stream-stopped.png') });
  assert.ok(stopped.split(' ').length < 60, 'stopped long before the end');

  // A short prompt runs to completion.
  await page.fill('#prompt', 'short one');
  await page.click('#start');
  await page.waitForSelector('#stream-status[data-reason="complete"]', { timeout: 10000 });
  assert.match(await page.textContent('#output'), /short one/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the raw console connects, sends a raw frame and logs both directions', async () => {
  const page = await openPage(browser, `${gateway.http}/console.html`);
  await page.fill('#user', 'consoler');
  await page.click('#connect');
  await page.waitForSelector('#status[data-state="connected"]');
  await page.fill('#frame', '{"id":"x1","type":"echo","data":{"hello":"console"}}');
  await page.click('#send');
  await page.waitForFunction(() => [...document.querySelectorAll('#log li.in')].some((li) => li.textContent.includes('"re":"x1"')));
  await page.screenshot({ path: screenshotPath('console.png') });
  await page.click('#disconnect');
  await page.waitForSelector('#status[data-state="disconnected"]');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('gateway restarted mid-conversation: the pages reconnect and show what was sent while it was down', async () => {
  const erin = await joinChat('erin', { query: '?room=ops' });
  const frank = await joinChat('frank', { query: '?room=ops' });
  await waitForMember(erin, 'frank');
  await say(frank, 'before the restart');
  await waitForMessage(erin, 'before the restart');

  await gateway.kill();
  await erin.waitForSelector('#status[data-state="connecting"]');
  await frank.waitForSelector('#status[data-state="connecting"]');
  // Frank writes while the gateway is down: the SDK holds the publish until it is connected again.
  await say(frank, 'sent while the gateway was down');
  await gateway.restart();
  await erin.waitForSelector('#status[data-state="connected"]', { timeout: 20000 });
  await waitForMessage(erin, 'sent while the gateway was down', 20000);
  // What was on screen before the restart is still there, in order, and the outage is explained.
  const texts = await messageTexts(erin);
  assert.deepEqual(texts, ['before the restart', 'sent while the gateway was down']);
  const timeline = await erin.$$eval('#messages .msg', (nodes) =>
    nodes.map((n) => (n.classList.contains('system') ? n.textContent.split(/[;,·]/)[0].trim() : n.querySelector('.text').textContent)));
  assert.deepEqual(timeline, ['before the restart', 'Connection lost', 'Reconnected', 'sent while the gateway was down']);
  await waitForMember(erin, 'frank');
  await erin.screenshot({ path: screenshotPath('chat-after-restart.png'), fullPage: true });
  await Promise.all([erin.context().close(), frank.context().close()]);
});
