// One connection per browser: every tab of an origin shares one WebSocket (SharedSwitchboard), through a
// SharedWorker, or through a leader tab elected with Web Locks where SharedWorker is missing (forced here
// with shared: "leader"). Checked in headless Chromium with several tabs: one socket on the server, every tab
// receiving every publication, a closed tab not ending the others' subscriptions, and a closed leader handing
// the connection over to another tab with recovery and no loss. Measurements go to target/shared-connection.json.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPage, startGatewayAndBrowser, stopGatewayAndBrowser } from '../support/browser.js';
import { until } from '../support/clients.js';

const TARGET = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../target');
const measured = {};
// DemoStreamHandler's answer (server/.../handlers/DemoStreamHandler.java), streamed word by word
const DEMO_ANSWER = 'Switchboard streams replies chunk by chunk, the way a language model produces tokens. Each word you '
  + 'see arrived as its own chunk frame correlated with your request id, and pressing Stop sends a cancel frame that the '
  + 'handler observes between two words. A disconnect cancels the stream too, so no work continues for a client that has '
  + 'gone away.';
let env;

before(async () => {
  env = await startGatewayAndBrowser([]);
});
after(async () => {
  mkdirSync(TARGET, { recursive: true });
  writeFileSync(path.join(TARGET, 'shared-connection.json'), `${JSON.stringify(measured, null, 2)}\n`);
  await stopGatewayAndBrowser(env || {});
});

/** A tab of `context` with a SharedSwitchboard subscribed to `channel`, recording offsets in window.got. */
async function openTab(context, channel, mode) {
  const page = await openPage(env.browser, `${env.gateway.http}/healthz`, context);
  await page.evaluate(async ({ channel, mode }) => {
    const { SharedSwitchboard } = await import('/sdk/index.js');
    const client = new SharedSwitchboard('/ws', {
      shared: mode,
      getToken: async () => (await (await fetch('/auth/token?user=alice')).json()).token,
    });
    window.sb = client;
    window.got = [];
    window.welcomedAt = [];
    client.on('connected', () => window.welcomedAt.push(Date.now()));
    const sub = client.subscribe(channel);
    sub.on('message', (m) => window.got.push(m.offset));
    await new Promise((resolve) => sub.once('subscribed', resolve));
  }, { channel, mode });
  return page;
}

const connections = async () => (await env.gateway.api('GET', '/api/connections?user=alice')).count;
const publish = (channel, n) => env.gateway.api('POST', '/api/publish', { channel, data: { n } });
const received = (page) => page.evaluate(() => window.got);
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function allReceive(pages, count) {
  await until(async () => (await Promise.all(pages.map(received))).every((got) => got.length >= count), 15000,
    `every tab to receive ${count}`).catch(async (err) => {
    const got = await Promise.all(pages.map(received));
    throw new Error(`${err.message}; the tabs got ${got.map((g) => `${g.length} (${g.slice(0, 3)}…${g.slice(-3)})`).join(', ')}`);
  });
  for (const page of pages) assert.deepEqual(await received(page), range(1, count), 'every publication once, in order');
}

test('SharedWorker: three tabs share one socket; each receives; a closed tab does not end the others', async () => {
  const context = await env.browser.newContext();
  const tabs = [];
  for (let i = 0; i < 3; i += 1) tabs.push(await openTab(context, 'news:worker', 'worker'));
  assert.equal(await tabs[0].evaluate(() => window.sb.mode), 'worker');
  await until(async () => (await connections()) === 1, 5000);
  measured.worker = { tabs: 3, socketsOnTheServer: await connections() };

  for (let n = 1; n <= 20; n += 1) await publish('news:worker', n);
  await allReceive(tabs, 20);

  await tabs[0].close();
  for (let n = 21; n <= 40; n += 1) await publish('news:worker', n);
  await allReceive(tabs.slice(1), 40);
  assert.equal(await connections(), 1, 'the remaining tabs still share the one socket');
  measured.worker.socketsAfterATabClosed = await connections();

  // a request and a stream from one tab, through the worker
  const echoed = await tabs[1].evaluate(() => window.sb.request('echo', { hi: 1 }));
  assert.deepEqual(echoed, { hi: 1 });
  // per-call options: a signal stays in the tab (it cannot cross a port) and fails the call there at once
  const aborted = await tabs[1].evaluate(async () => {
    const controller = new AbortController();
    const answer = window.sb.request('echo', { hi: 2 }, { signal: controller.signal, timeout: 5000 });
    controller.abort();
    try { await answer; return 'answered'; } catch (e) { return e.code; }
  });
  assert.equal(aborted, 'aborted');
  assert.deepEqual(await tabs[1].evaluate(() => window.sb.history('news:worker', { limit: 1 }, { timeout: 5000 })
    .then((h) => h.publications.length)), 1, 'a timeout travels with the call and the call still answers');

  // sendRaw from one tab goes out on the shared socket; a tab that listens for frames sees both directions
  await tabs[2].evaluate(() => {
    window.tapped = [];
    window.sb.on('frame', (f) => window.tapped.push(f));
  });
  assert.equal(await tabs[1].evaluate(() => window.sb.sendRaw(JSON.stringify({ id: 'raw-1', type: 'echo', data: { raw: true } }))), true);
  await until(async () => (await tabs[2].evaluate(() => window.tapped))
    .some((f) => f.direction === 'in' && f.text.includes('"re":"raw-1"')), 5000, 'the raw request\'s reply in the frame tap');
  assert.ok((await tabs[2].evaluate(() => window.tapped)).some((f) => f.direction === 'out' && f.text.includes('"raw-1"')));

  // the socket's own close reaches every tab as it happened: a backend's kick is 4009, final, with its reason
  for (const tab of tabs.slice(1)) {
    await tab.evaluate(() => {
      window.closes = [];
      window.sb.on('disconnected', (e) => window.closes.push({ code: e.code, reason: e.reason, willReconnect: e.willReconnect }));
    });
  }
  await env.gateway.api('POST', '/api/disconnect', { user: 'alice', reason: 'banned' });
  for (const tab of tabs.slice(1)) {
    await until(async () => (await tab.evaluate(() => window.closes.length)) > 0, 5000, 'the kick to reach the tab');
    assert.deepEqual(await tab.evaluate(() => window.closes), [{ code: 4009, reason: 'banned', willReconnect: false }]);
    assert.equal(await tab.evaluate(() => window.sb.state), 'disconnected');
  }
  await context.close();
  await until(async () => (await connections()) === 0, 10000);
});

test('leader election: the leader tab closes, another takes the connection over with recovery and no loss', async () => {
  const context = await env.browser.newContext();
  const tabs = [];
  for (let i = 0; i < 3; i += 1) tabs.push(await openTab(context, 'news:leader', 'leader'));
  const leading = await Promise.all(tabs.map((t) => t.evaluate(() => window.sb.leading())));
  assert.equal(leading.filter(Boolean).length, 1, 'exactly one leader');
  await until(async () => (await connections()) === 1, 5000, 'one socket for three tabs');
  measured.leader = { tabs: 3, socketsOnTheServer: await connections() };

  const leader = tabs[leading.indexOf(true)];
  const followers = tabs.filter((t) => t !== leader);
  // a resumable streamed reply read by a follower, under way when the leader goes: resumed by the next leader
  await followers[0].evaluate(() => {
    window.words = [];
    const stream = window.sb.request('demo.stream', { prompt: 'hand-over' }, { resumable: true });
    window.streamDone = (async () => {
      for await (const chunk of stream) window.words.push(chunk.text);
      return stream.endReason;
    })();
  });
  await until(async () => (await followers[0].evaluate(() => window.words.length)) >= 3, 10000, 'the stream to start');
  const total = 120;
  let closedAt = 0;
  for (let n = 1; n <= total; n += 1) {
    await publish('news:leader', n);
    if (n === 40) {
      closedAt = Date.now();
      await leader.close(); // mid-stream: publications keep coming while no tab holds the connection
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await allReceive(followers, total);
  const streamEnd = await followers[0].evaluate(() => window.streamDone);
  const words = await followers[0].evaluate(() => window.words.join(''));
  assert.equal(streamEnd, 'complete', 'the resumable reply went on through the new leader');
  assert.equal(words, `You asked: "hand-over". ${DEMO_ANSWER} `, 'every word of the reply once, in order');
  measured.leader.resumableReplyWords = words.trim().split(' ').length;
  const welcomes = await Promise.all(followers.map((t) => t.evaluate(() => window.welcomedAt)));
  const handOver = Math.max(...welcomes.map((w) => w[w.length - 1] - closedAt));
  const newLeaders = await Promise.all(followers.map((t) => t.evaluate(() => window.sb.leading())));
  assert.equal(newLeaders.filter(Boolean).length, 1, 'one of the others took over');
  await until(async () => (await connections()) === 1, 10000, 'one socket after the hand-over');
  measured.leader.handOverMs = handOver;
  measured.leader.published = total;
  measured.leader.receivedByEachRemainingTab = (await received(followers[0])).length;
  measured.leader.socketsAfterTheHandOver = await connections();
  console.log(`leader hand-over: ${handOver} ms from the leader tab's close to the new connection's welcome; `
    + `${total} of ${total} publications in each remaining tab, in order`);
  await context.close();
});

test('leader election: frames reach a tab only while it listens for them', async () => {
  const context = await env.browser.newContext();
  const tabs = [await openTab(context, 'news:tap', 'leader'), await openTab(context, 'news:tap', 'leader')];
  const leading = await Promise.all(tabs.map((t) => t.evaluate(() => window.sb.leading())));
  const follower = leading[0] ? tabs[1] : tabs[0];
  // a second BroadcastChannel on the follower's page sees what the leader's hub sends over the link
  await follower.evaluate(() => {
    window.forwarded = 0;
    window.spy = new BroadcastChannel(`switchboard ${new URL('/ws', location.href)}`);
    window.spy.onmessage = ({ data }) => { if (data.event?.ev === 'frame') window.forwarded += 1; };
    window.tapped = [];
    window.untap = window.sb.on('frame', (f) => window.tapped.push(f));
    return window.sb.request('echo', { after: 'tap' }); // answered once the hub has read the wish
  });
  await publish('news:tap', 1);
  await allReceive([follower], 1);
  await until(() => follower.evaluate(() => window.tapped.length > 0 && window.forwarded > 0), 5000, 'frames while listening');

  // the last listener gone, the hub stops: a request after it is answered only once the hub has read the wish
  await follower.evaluate(async () => {
    window.untap();
    await window.sb.request('echo', { after: 'untap' });
    window.forwarded = 0;
    window.tapped = [];
  });
  for (let n = 2; n <= 4; n += 1) await publish('news:tap', n);
  await allReceive([follower], 4);
  assert.deepEqual(await follower.evaluate(() => [window.forwarded, window.tapped.length]), [0, 0],
    'no frame crosses the link for a tab that stopped listening');

  // listening again asks again
  await follower.evaluate(() => {
    window.sb.on('frame', (f) => window.tapped.push(f));
    return window.sb.request('echo', { after: 'tap again' });
  });
  await publish('news:tap', 5);
  await allReceive([follower], 5);
  await until(() => follower.evaluate(() => window.tapped.some((f) => f.text.includes('"n":5'))), 5000,
    'frames after listening again');
  await context.close();
});

test('leader election: a leader whose client is closed, its page still open, hands over at once', async () => {
  const context = await env.browser.newContext();
  const tabs = [await openTab(context, 'news:resign', 'leader'), await openTab(context, 'news:resign', 'leader')];
  const leading = await Promise.all(tabs.map((t) => t.evaluate(() => window.sb.leading())));
  const [leader, other] = leading[0] ? tabs : [tabs[1], tabs[0]];
  await leader.evaluate(() => window.sb.close());
  await until(() => other.evaluate(() => window.sb.leading()), 5000, 'the other tab to lead');
  await publish('news:resign', 1);
  await allReceive([other], 1);
  assert.equal(await leader.evaluate(() => window.sb.leading()), false);
  await context.close();
});
