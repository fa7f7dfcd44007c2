// The Server-Sent Events fallback in real headless Chromium, with the browser's own EventSource: forced
// (`transport: "sse"`), and chosen by "auto" on a page where WebSockets cannot open; the chat demo over it;
// and the delivery latency of both transports measured side by side (written to target/e2e, not asserted).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { openPage, screenshotPath, startGatewayAndBrowser, stopGatewayAndBrowser } from '../support/browser.js';

let gateway;
let browser;

before(async () => ({ gateway, browser } = await startGatewayAndBrowser()));
after(() => stopGatewayAndBrowser({ gateway, browser }));

async function publish(channel, data) {
  const response = await fetch(`${gateway.http}/api/publish`, {
    method: 'POST',
    headers: { Authorization: 'Bearer dev-api-key', 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel, data }),
  });
  assert.equal(response.status, 200);
}

/** Makes every WebSocket on the page fail to open, as a proxy that refuses upgrades would. */
const BLOCK_WEBSOCKETS = () => {
  window.WebSocket = class BlockedWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      window.blockedWebSockets = (window.blockedWebSockets || 0) + 1;
      setTimeout(() => {
        this.readyState = 3;
        this.onerror?.({});
        this.onclose?.({ code: 1006, reason: '' });
      }, 20);
    }
    send() { throw new Error('not open'); }
    close() {}
  };
};

/** A page on the gateway's origin with a connected client in `window.sb` (messages collected in `window.got`). */
async function pageWithClient(user, transport, { blockWebSockets = false } = {}) {
  const context = await browser.newContext();
  if (blockWebSockets) await context.addInitScript(BLOCK_WEBSOCKETS);
  const page = await openPage(browser, `${gateway.http}/`, context);
  await page.evaluate(async ({ user, transport }) => {
    const { Switchboard } = await import('/sdk/index.js');
    const token = async () => (await (await fetch(`/auth/token?user=${user}`)).json()).token;
    window.got = [];
    window.sb = new Switchboard('/ws', { getToken: token, transport, reconnect: { minDelay: 50, maxDelay: 200 } });
    window.sb.on('message', (m) => window.got.push({ ...m, at: Date.now() }));
    window.subscribed = (channel) => new Promise((resolve, reject) => {
      const sub = window.sb.subscribe(channel);
      sub.once('subscribed', resolve);
      sub.once('error', reject);
    });
    await window.sb.connect();
  }, { user, transport });
  return page;
}

test('forced SSE: subscribe, receive, publish, request/reply and a streamed reply, all over the event stream', async () => {
  const page = await pageWithClient('sally', 'sse');
  assert.equal(await page.evaluate(() => window.sb.transport), 'sse');
  await page.evaluate(() => window.subscribed('chat:sse-e2e'));
  await publish('chat:sse-e2e', { text: 'from the backend' });
  await page.waitForFunction(() => window.got.some((m) => m.data?.text === 'from the backend'));
  await page.evaluate(() => window.sb.publish('chat:sse-e2e', { text: 'from the page' }));
  await page.waitForFunction(() => window.got.some((m) => m.data?.text === 'from the page'));
  const echoed = await page.evaluate(() => window.sb.request('echo', { n: 42 }));
  assert.deepEqual(echoed, { n: 42 });
  const chunks = await page.evaluate(async () => {
    const out = [];
    const stream = window.sb.stream('demo.stream', { prompt: 'three words here', delayMs: 5 });
    for await (const chunk of stream) out.push(chunk);
    return out.length;
  });
  assert.ok(chunks >= 3, `streamed chunks: ${chunks}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('forced SSE: a Durable Stream followed like a channel (resume), live appends and its close', async () => {
  const KEY = { Authorization: 'Bearer dev-api-key' };
  const put = await fetch(`${gateway.http}/streams/feeds/sse-e2e`, { method: 'PUT', headers: { ...KEY, 'Content-Type': 'application/json' }, body: '[{"n":1},{"n":2}]' });
  assert.equal(put.status, 201);
  const page = await pageWithClient('streamer', 'sse');
  await page.evaluate(() => {
    window.chunks = [];
    window.following = (async () => {
      const stream = window.sb.resume('feeds/sse-e2e');
      for await (const chunk of stream) window.chunks.push(chunk);
      return stream.endReason;
    })();
  });
  await page.waitForFunction(() => window.chunks.length === 2);
  await fetch(`${gateway.http}/streams/feeds/sse-e2e`, { method: 'POST', headers: { ...KEY, 'Content-Type': 'application/json', 'Stream-Closed': 'true' }, body: '{"n":3}' });
  assert.equal(await page.evaluate(() => window.following), 'complete');
  assert.deepEqual(await page.evaluate(() => window.chunks), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  await page.context().close();
});

test('auto: where WebSockets cannot open, the client falls back to SSE and keeps its subscriptions', async () => {
  const page = await pageWithClient('blocked', 'auto', { blockWebSockets: true });
  assert.equal(await page.evaluate(() => window.sb.transport), 'sse');
  assert.ok(await page.evaluate(() => window.blockedWebSockets) >= 1, 'a WebSocket was tried first');
  await page.evaluate(() => window.subscribed('chat:fallback'));
  await publish('chat:fallback', 'after fallback');
  await page.waitForFunction(() => window.got.some((m) => m.data === 'after fallback'));
  // The node restarts: the stream ends, the client tries WebSocket again first (still blocked), falls back
  // again, and resubscribes on the new stream.
  const before = await page.evaluate(() => window.sb.welcome.connection);
  await gateway.kill();
  await gateway.restart();
  await page.waitForFunction((old) => window.sb.state === 'connected' && window.sb.welcome?.connection !== old,
    before, { timeout: 20000 });
  assert.equal(await page.evaluate(() => window.sb.transport), 'sse');
  await page.waitForFunction(() => window.sb.subscriptions.get('chat:fallback')?.active === true, null, { timeout: 10000 });
  await publish('chat:fallback', 'after the restart');
  await page.waitForFunction(() => window.got.some((m) => m.data === 'after the restart'), null, { timeout: 10000 });
  await page.context().close();
});

test('the chat demo over SSE (?transport=sse): two users talk, the status says via SSE', async () => {
  async function join(user) {
    const page = await openPage(browser, `${gateway.http}/?transport=sse&room=sse`);
    await page.fill('#name', user);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#status[data-state="connected"]');
    return page;
  }
  const ann = await join('ann');
  const ben = await join('ben');
  assert.match(await ann.textContent('#status'), /via SSE/);
  await ben.fill('#text', 'hello over event streams');
  await ben.click('#send');
  await ann.waitForFunction(() => [...document.querySelectorAll('#messages .msg .text')]
    .some((n) => n.textContent === 'hello over event streams'), null, { timeout: 10000 });
  await ann.screenshot({ path: screenshotPath('chat-over-sse.png'), fullPage: true });
  await ann.context().close();
  await ben.context().close();
});

test('delivery latency, WebSocket and SSE side by side in one browser (measured, reported, not asserted)', async () => {
  const pages = { websocket: await pageWithClient('lat-ws', 'websocket'), sse: await pageWithClient('lat-sse', 'sse') };
  for (const page of Object.values(pages)) await page.evaluate(() => window.subscribed('lat:both'));
  const rounds = 200;
  for (let i = 0; i < rounds; i++) {
    await publish('lat:both', { i, sentAt: Date.now() });
    if (i % 20 === 19) await new Promise((r) => setTimeout(r, 20));
  }
  const report = {};
  for (const [name, page] of Object.entries(pages)) {
    await page.waitForFunction((n) => window.got.filter((m) => m.channel === 'lat:both').length >= n, rounds, { timeout: 20000 })
      .catch(async (err) => {
        const seen = await page.evaluate(() => {
          const got = new Set(window.got.map((m) => m.data?.i));
          return { n: window.got.length, state: window.sb.state, transport: window.sb.transport,
            missing: [...Array(200).keys()].filter((i) => !got.has(i)), welcome: window.sb.welcome?.connection };
        });
        throw new Error(`${name}: ${JSON.stringify(seen)}: ${err.message}`);
      });
    const latencies = await page.evaluate(() => window.got.filter((m) => m.channel === 'lat:both')
      .map((m) => m.at - m.data.sentAt).sort((a, b) => a - b));
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    report[name] = { n: latencies.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies[latencies.length - 1] };
    const order = await page.evaluate(() => window.got.filter((m) => m.channel === 'lat:both').map((m) => m.data.i));
    assert.deepEqual(order, [...Array(rounds).keys()], `${name} delivers in order, none lost`);
  }
  report.ratioP50 = report.websocket.p50 > 0 ? report.sse.p50 / report.websocket.p50 : null;
  writeFileSync(screenshotPath('sse-latency.json'), JSON.stringify(report, null, 2));
  console.log(`delivery latency (ms, publish over HTTP → browser): ${JSON.stringify(report)}`);
  for (const page of Object.values(pages)) await page.context().close();
});
