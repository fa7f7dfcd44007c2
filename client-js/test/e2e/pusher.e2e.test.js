// pusher-js in real headless Chromium (its web build, as a front end loads it) against the gateway's Pusher
// protocol: a public and a private channel (authorized by a backend with the official SDK), presence across two
// browser sessions, and a client event between them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startGatewayAndBrowser, stopGatewayAndBrowser, screenshotPath } from '../support/browser.js';
import { APP, pusherArgs, serverFor } from '../support/pusher.js';

const require = createRequire(import.meta.url);
const PUSHER_WEB = path.join(path.dirname(require.resolve('pusher-js/package.json')), 'dist/web/pusher.min.js');

let gateway;
let browser;
let server;

before(async () => {
  ({ gateway, browser } = await startGatewayAndBrowser(pusherArgs()));
  server = serverFor(gateway);
});
after(() => stopGatewayAndBrowser({ gateway, browser }));

/** A page with pusher-js loaded, connected as `user`, channels authorized by the backend (through Node). */
async function pusherPage(user) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(String(err)));
  await page.exposeFunction('authorize', (socketId, channel) => server.authorizeChannel(socketId, channel,
    channel.startsWith('presence-') ? { user_id: user, user_info: { name: user } } : undefined));
  await page.goto(`${gateway.http}/`);
  await page.addScriptTag({ path: PUSHER_WEB });
  await page.evaluate(({ key, port }) => {
    window.received = [];
    window.pusher = new window.Pusher(key, {
      wsHost: '127.0.0.1', wsPort: port, forceTLS: false, enabledTransports: ['ws'], disableStats: true, cluster: 'local',
      channelAuthorization: { customHandler: (p, cb) => window.authorize(p.socketId, p.channelName).then((a) => cb(null, a)) },
    });
    window.subscribe = (name) => new Promise((resolve, reject) => {
      const ch = window.pusher.subscribe(name);
      ch.bind('pusher:subscription_succeeded', (m) => resolve(m && m.count !== undefined ? m.count : true));
      ch.bind('pusher:subscription_error', (e) => reject(new Error(JSON.stringify(e))));
      ch.bind_global((event, data) => {
        if (!event.startsWith('pusher')) window.received.push({ channel: name, event, data });
      });
    });
  }, { key: APP.key, port: gateway.port });
  return page;
}

test('pusher-js in Chromium: public, private and presence channels, triggers and a client event', async () => {
  const alice = await pusherPage('alice');
  const bob = await pusherPage('bob');
  await alice.evaluate(() => Promise.all([window.subscribe('lobby'), window.subscribe('private-inbox')]));
  await server.trigger(['lobby', 'private-inbox'], 'note', { text: 'hi browser' });
  await alice.waitForFunction(() => window.received.length >= 2);
  const got = await alice.evaluate(() => window.received.map((r) => `${r.channel}/${r.event}/${r.data.text}`).sort());
  assert.deepEqual(got, ['lobby/note/hi browser', 'private-inbox/note/hi browser']);

  assert.equal(await alice.evaluate(() => window.subscribe('presence-room')), 1);
  assert.equal(await bob.evaluate(() => window.subscribe('presence-room')), 2);
  await bob.evaluate(() => window.pusher.channel('presence-room').trigger('client-wave', { from: 'bob' }));
  await alice.waitForFunction(() => window.received.some((r) => r.event === 'client-wave'));
  const wave = await alice.evaluate(() => window.received.find((r) => r.event === 'client-wave').data);
  assert.deepEqual(wave, { from: 'bob' });
  await alice.screenshot({ path: screenshotPath('pusher-js-chromium.png') });
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});
