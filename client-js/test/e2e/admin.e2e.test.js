// The admin UI (/admin) in real headless Chromium against a real gateway: login, totals that move when real
// clients connect, a channel's presence, a test publish that reaches a subscriber, and the disconnect action
// closing a real socket. Screenshots go to target/e2e/admin-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshotPath, startGatewayAndBrowser, stopGatewayAndBrowser } from '../support/browser.js';
import { clientFor, nextEvent } from '../support/clients.js';
import { clientFor as pusherClientFor, subscribed } from '../support/pusher.js';

const PASSWORD = 'correct horse battery staple';
let gateway;
let browser;
const clients = [];

const APP = { id: '7', key: 'admin-app-key', secret: 'admin-app-secret' };
const pushers = [];

before(async () => ({ gateway, browser } = await startGatewayAndBrowser(
  ['--admin-password', PASSWORD, '--presence-channels', 'chat:*', '--pusher-app', `${APP.id}:${APP.key}:${APP.secret}`])));

after(async () => {
  for (const c of clients) c.close();
  for (const p of pushers) p.disconnect();
  await stopGatewayAndBrowser({ gateway, browser });
});

const textOf = (page, selector) => page.textContent(selector).then((t) => t.trim());

test('admin: login, live totals, channel presence, test publish, disconnect a real connection', async () => {
  const page = await openPage(browser, `${gateway.http}/admin`);
  await page.waitForSelector('#login:not([hidden])');
  await page.screenshot({ path: screenshotPath('admin-login.png') });

  await page.fill('#password', 'not the password');
  await page.click('#login button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#login-error').textContent.includes('wrong password'));

  await page.fill('#password', PASSWORD);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#dash:not([hidden])');
  await page.waitForFunction(() => document.querySelector('#t-connections').textContent === '0');

  const tab1 = clientFor(gateway, 'visitor');
  const tab2 = clientFor(gateway, 'visitor');
  clients.push(tab1, tab2);
  await Promise.all([tab1.connect(), tab2.connect()]);
  await page.waitForFunction(() => document.querySelector('#t-connections').textContent === '2', null, { timeout: 10000 });
  assert.equal(await textOf(page, '#t-users'), '1');

  const sub = tab1.subscribe('chat:admin-e2e');
  await nextEvent(sub, 'subscribed');
  const row = '#channels tr[data-channel="chat:admin-e2e"]';
  await page.waitForSelector(row, { timeout: 10000 });
  await page.click(row);
  await page.waitForFunction(() => [...document.querySelectorAll('#presence li')].some((li) => li.textContent.startsWith('visitor')));

  const received = nextEvent(sub, 'message');
  await page.fill('#pub-channel', 'chat:admin-e2e');
  await page.fill('#pub-data', '{"text":"hello from the admin"}');
  await page.click('#publish-form button[type=submit]');
  const message = await received;
  assert.equal(message.data.text, 'hello from the admin');
  assert.equal(message.from, 'admin');
  await page.waitForFunction(() => [...document.querySelectorAll('#history li')].some((li) => li.textContent.includes('hello from the admin')));
  await page.waitForFunction(() => Number(document.querySelector('#t-out').textContent) >= 0);

  await page.fill('#user-input', 'visitor');
  await page.click('#user-form button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#user-connections button[data-connection]').length === 2);
  await page.screenshot({ path: screenshotPath('admin-dashboard.png'), fullPage: true });

  const target = tab2.welcome.connection;
  const closed = nextEvent(tab2, 'disconnected', () => true, 10000);
  await page.click(`#user-connections button[data-connection="${target}"]`);
  const event = await closed.catch(async (err) => {
    throw new Error(`${err.message}; page errors: ${JSON.stringify(page.errors)}; rows: ${await page.$$eval('#user-connections tr', (r) => r.map((x) => x.textContent))}`);
  });
  assert.equal(event.code, 4009, 'the admin action closed the real socket with 4009 (kicked)');
  assert.equal(event.willReconnect, false);
  await page.waitForFunction(() => document.querySelector('#t-connections').textContent === '1', null, { timeout: 10000 });
  assert.equal(tab1.state, 'connected', 'the other tab is untouched');
  await page.waitForSelector(`#user-connections button[data-connection="${target}"]`, { state: 'detached', timeout: 10000 });
  assert.equal(await page.$$eval('#user-connections button[data-connection]', (b) => b.length), 1,
    "the user's table lists the one connection left");
  await page.screenshot({ path: screenshotPath('admin-after-disconnect.png'), fullPage: true });
  // The one failed resource is the wrong-password login's 401, on purpose.
  assert.deepEqual(page.errors.filter((e) => !e.includes('401 (Unauthorized)')), []);
});

test('admin API: no session is 401, an action without the CSRF header is 403', async () => {
  const overview = await fetch(`${gateway.http}/admin/api/overview`);
  assert.equal(overview.status, 401);
  const login = await fetch(`${gateway.http}/admin/api/login`, {
    method: 'POST', body: JSON.stringify({ password: PASSWORD }), headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  assert.match(login.headers.get('set-cookie'), /HttpOnly/);
  assert.match(login.headers.get('set-cookie'), /SameSite=Strict/);
  const forged = await fetch(`${gateway.http}/admin/api/publish`, {
    method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel: 'chat:x', data: 1 }),
  });
  assert.equal(forged.status, 403, 'a cookie alone (what another site can make a browser send) changes nothing');
  const read = await fetch(`${gateway.http}/admin/api/overview`, { headers: { Cookie: cookie } });
  assert.equal(read.status, 200);
});

test('admin: a Pusher app\'s channels, picked by its namespace', async () => {
  const pusher = pusherClientFor(gateway, { app: APP });
  pushers.push(pusher);
  await subscribed(pusher, 'ui-room');
  const native = clientFor(gateway, 'native-visitor');
  clients.push(native);
  await native.connect();
  await nextEvent(native.subscribe('chat:native-room'), 'subscribed');

  const page = await openPage(browser, `${gateway.http}/admin`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#password', PASSWORD);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#channels tr[data-channel="chat:native-room"]', { timeout: 10000 });
  await page.waitForSelector(`#namespace option[value="pusher.${APP.id}"]`, { state: 'attached', timeout: 10000 });
  assert.match(await page.textContent(`#namespace option[value="pusher.${APP.id}"]`), /Pusher app 7/);
  await page.selectOption('#namespace', `pusher.${APP.id}`);
  await page.waitForSelector(`#channels tr[data-channel="pusher.${APP.id}:ui-room"]`, { timeout: 10000 });
  await page.waitForSelector('#channels tr[data-channel="chat:native-room"]', { state: 'detached', timeout: 10000 });
  const rows = await page.$$eval('#channels tr', (trs) => trs.map((tr) => tr.dataset.channel));
  assert.ok(rows.every((c) => c.startsWith(`pusher.${APP.id}:`)), JSON.stringify(rows));
  await page.screenshot({ path: screenshotPath('admin-pusher-app.png'), fullPage: true });
});
