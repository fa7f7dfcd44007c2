// The Pusher Channels protocol against real clients: pusher-js (Node), Laravel Echo on top of it, and the
// official `pusher` server SDK (trigger, triggerBatch, get, authorizeChannel, authenticateUser,
// terminateUserConnections, webhook().isValid()) — one gateway, two apps; and hostile input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import WebSocket from 'ws';
import { Gateway } from './support/gateway.js';
import { until } from './support/clients.js';
import { APP, OTHER_APP, clientFor, connected, next, pusherArgs, serverFor, subscribed, webhookReceiver } from './support/pusher.js';

const ADMIN_PASSWORD = 'pusher admin password';
let gateway;
let webhooks;
let server;
const clients = [];

before(async () => {
  webhooks = await webhookReceiver();
  gateway = await Gateway.start([...pusherArgs(webhooks.url), '--access-log', 'text', '--admin-password', ADMIN_PASSWORD]);
  server = serverFor(gateway);
});

after(async () => {
  clients.forEach((c) => c.disconnect());
  await gateway?.kill();
  webhooks?.close();
});

function client(options) {
  const c = clientFor(gateway, options);
  clients.push(c);
  return c;
}

test('pusher-js receives what the pusher SDK triggers, except the socket it names; triggerBatch too', async () => {
  const a = client();
  const b = client();
  const socketA = await connected(a);
  await connected(b);
  assert.match(socketA, /^\d+\.\d+$/, 'a socket id of the form the server libraries validate');
  const ca = await subscribed(a, 'orders');
  const cb = await subscribed(b, 'orders');
  const toA = next(ca, 'created');
  const toB = next(cb, 'created');
  const r = await server.trigger('orders', 'created', { id: 7 });
  assert.equal(r.status, 200);
  assert.deepEqual(await toA, { id: 7 });
  assert.deepEqual(await toB, { id: 7 });

  const notA = next(ca, 'updated', 500).then(() => 'received', () => 'excluded');
  const gotB = next(cb, 'updated');
  await server.trigger('orders', 'updated', { id: 8 }, { socket_id: socketA });
  assert.deepEqual(await gotB, { id: 8 });
  assert.equal(await notA, 'excluded', 'socket_id leaves the sender out');

  const batch = [next(cb, 'one'), next(cb, 'two')];
  const rb = await server.triggerBatch([{ channel: 'orders', name: 'one', data: { n: 1 } },
    { channel: 'orders', name: 'two', data: 'plain text' }]);
  assert.equal(rb.status, 200);
  assert.deepEqual(await Promise.all(batch), [{ n: 1 }, 'plain text']);
});

test('private channels need the app\'s signature; a forged one is refused with status 401', async () => {
  const ok = client();
  const channel = await subscribed(ok, 'private-account-1');
  const got = next(channel, 'balance');
  await server.trigger('private-account-1', 'balance', { eur: 10 });
  assert.deepEqual(await got, { eur: 10 });

  const forged = new Pusher(APP.key, { wsHost: '127.0.0.1', wsPort: gateway.port, forceTLS: false, enabledTransports: ['ws'],
    disableStats: true, cluster: 'local',
    channelAuthorization: { customHandler: (params, cb) => cb(null, { auth: `${APP.key}:${'0'.repeat(64)}` }) } });
  clients.push(forged);
  await assert.rejects(subscribed(forged, 'private-account-1'), (e) => e.status === 401);
  const otherSecret = new Pusher(APP.key, { wsHost: '127.0.0.1', wsPort: gateway.port, forceTLS: false,
    enabledTransports: ['ws'], disableStats: true, cluster: 'local',
    channelAuthorization: { customHandler: (params, cb) => cb(null,
      serverFor(gateway, { ...APP, secret: OTHER_APP.secret }).authorizeChannel(params.socketId, params.channelName)) } });
  clients.push(otherSecret);
  await assert.rejects(subscribed(otherSecret, 'private-account-1'), (e) => e.status === 401,
    'a signature made with another app\'s secret');
});

test('presence: members, member_added once per user (not per tab), member_removed with the last tab', async () => {
  const alice1 = client({ user: { user_id: 'alice', user_info: { name: 'Alice' } } });
  const room1 = await subscribed(alice1, 'presence-room');
  assert.equal(room1.members.count, 1);
  const added = [];
  room1.bind('pusher:member_added', (m) => added.push(m.id));
  const removed = [];
  room1.bind('pusher:member_removed', (m) => removed.push(m.id));

  const bob = client({ user: { user_id: 'bob', user_info: { name: 'Bob' } } });
  const roomBob = await subscribed(bob, 'presence-room');
  assert.equal(roomBob.members.count, 2);
  assert.deepEqual(roomBob.members.get('alice').info, { name: 'Alice' });
  await until(() => added.includes('bob'), 3000, 'member_added bob');

  const bob2 = client({ user: { user_id: 'bob', user_info: { name: 'Bob' } } }); // a second tab
  await subscribed(bob2, 'presence-room');
  const users = await (await server.get({ path: '/channels/presence-room/users' })).json();
  assert.deepEqual(users.users.map((u) => u.id).sort(), ['alice', 'bob']);
  const info = await (await server.get({ path: '/channels/presence-room', params: { info: 'user_count,subscription_count' } })).json();
  assert.deepEqual(info, { occupied: true, user_count: 2, subscription_count: 3 });
  bob.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(removed, [], 'bob is still there in another tab');
  bob2.disconnect();
  await until(() => removed.includes('bob'), 3000, 'member_removed bob');
  assert.deepEqual(added, ['bob'], 'one member_added for two tabs');
});

test('Laravel Echo: listen, whisper / listenForWhisper, here / joining / leaving', async () => {
  const echoFor = (user) => new Echo({ broadcaster: 'pusher', key: APP.key, client: client({ user }) });
  const ann = echoFor({ user_id: 'ann', user_info: { name: 'Ann' } });
  const ben = echoFor({ user_id: 'ben', user_info: { name: 'Ben' } });
  try {
    const listened = new Promise((resolve) => ann.channel('news').listen('.headline', resolve));
    await until(() => ann.connector.pusher.channel('news')?.subscribed, 3000, 'echo subscribed');
    await server.trigger('news', 'headline', { title: 'Hello' });
    assert.deepEqual(await listened, { title: 'Hello' });

    const whispered = new Promise((resolve) => ben.private('chat.1').listenForWhisper('typing', resolve));
    ann.private('chat.1');
    await until(() => ann.connector.pusher.channel('private-chat.1')?.subscribed
      && ben.connector.pusher.channel('private-chat.1')?.subscribed, 3000, 'both on private-chat.1');
    ann.private('chat.1').whisper('typing', { who: 'ann' });
    assert.deepEqual(await whispered, { who: 'ann' });

    const here = new Promise((resolve) => ann.join('lobby').here(resolve));
    const joining = new Promise((resolve) => ann.join('lobby').joining(resolve));
    const leaving = new Promise((resolve) => ann.join('lobby').leaving(resolve));
    assert.deepEqual((await here).map((m) => m.name), ['Ann']);
    ben.join('lobby');
    assert.equal((await joining).name, 'Ben');
    ben.leave('lobby');
    assert.equal((await leaving).name, 'Ben');
  } finally {
    ann.disconnect();
    ben.disconnect();
  }
});

test('client events: not on public channels, never echoed, off for an app that did not enable them', async () => {
  const a = client();
  const b = client();
  const pa = await subscribed(a, 'private-room');
  const pb = await subscribed(b, 'private-room');
  const echoed = next(pa, 'client-ping', 400).then(() => 'echoed', () => 'not echoed');
  const got = next(pb, 'client-ping');
  pa.trigger('client-ping', { n: 1 });
  assert.deepEqual(await got, { n: 1 });
  assert.equal(await echoed, 'not echoed');

  const errors = [];
  a.connection.bind('error', (e) => errors.push(e));
  const pub = await subscribed(a, 'public-room');
  pub.trigger('client-ping', { n: 2 });
  await until(() => errors.some((e) => e.data?.code === 4301), 3000, 'pusher:error 4301 for a public channel');
});

test('webhooks in Pusher\'s format, accepted by the SDK\'s webhook().isValid()', async () => {
  const a = client({ user: { user_id: 'hooked', user_info: {} } });
  const ch = await subscribed(a, 'presence-hooked');
  ch.trigger('client-wave', { hi: true });
  a.unsubscribe('presence-hooked');
  const names = () => webhooks.calls.flatMap((c) => JSON.parse(c.body).events
    .filter((e) => e.channel === 'presence-hooked').map((e) => e.name));
  await until(() => ['channel_occupied', 'member_added', 'client_event', 'member_removed', 'channel_vacated']
    .every((n) => names().includes(n)), 8000, `every webhook event (got ${names()})`);
  for (const call of webhooks.calls) {
    assert.equal(call.headers['content-type'], 'application/json');
    const webhook = server.webhook({ headers: call.headers, rawBody: call.body });
    assert.equal(webhook.isValid(), true);
    assert.ok(webhook.getTime() instanceof Date);
  }
  const clientEvent = webhooks.calls.flatMap((c) => JSON.parse(c.body).events)
    .find((e) => e.name === 'client_event' && e.channel === 'presence-hooked');
  assert.equal(clientEvent.event, 'client-wave');
  assert.equal(clientEvent.user_id, 'hooked');
  assert.equal(names().filter((n) => n === 'member_added').length, 1, 'exactly once');
});

test('the HTTP API: channels with counts, terminate a signed-in user\'s connections', async () => {
  const a = client({ user: { user_id: 'term', user_info: {} } });
  await connected(a);
  a.signin();
  await new Promise((resolve) => a.user.signinDonePromise.then(resolve));
  await subscribed(a, 'presence-counted');
  await subscribed(a, 'counted');
  const list = await (await server.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } })).json();
  assert.equal(list.channels['presence-counted'].user_count, 1);
  assert.equal(list.channels.counted, undefined, 'filtered by prefix');
  const r = await server.terminateUserConnections('term');
  assert.equal(r.status, 200);
  await until(() => a.connection.state !== 'connected', 5000, 'terminated');
});

test('sendToUser reaches every connection signed in as that user (pusher.user.bind), nobody else', async () => {
  const signedIn = async (user) => {
    const c = client({ user: { user_id: user, user_info: {} } });
    await connected(c);
    c.signin();
    await c.user.signinDonePromise;
    // pusher-js joins #server-to-user-ID right after signing in; wait until the server confirmed it
    await until(() => c.user.serverToUserChannel?.subscribed, 5000, `${user}'s user channel`);
    return c;
  };
  const tab1 = await signedIn('dana');
  const tab2 = await signedIn('dana');
  const other = await signedIn('eve');
  const got = (c) => new Promise((resolve) => c.user.bind('notice', resolve));
  const leaked = new Promise((resolve) => other.user.bind('notice', () => resolve('leaked')));
  const both = Promise.all([got(tab1), got(tab2)]);
  const r = await server.sendToUser('dana', 'notice', { text: 'hi Dana' });
  assert.equal(r.status, 200);
  assert.deepEqual(await both, [{ text: 'hi Dana' }, { text: 'hi Dana' }]);
  assert.equal(await Promise.race([leaked, new Promise((resolve) => setTimeout(() => resolve('private'), 300))]), 'private');

  // another connection cannot join Dana's user channel: only one signed in as dana may
  const raw = new WebSocket(`ws://127.0.0.1:${gateway.port}/app/${APP.key}?protocol=7`);
  const frames = [];
  raw.on('message', (m) => frames.push(JSON.parse(m)));
  await until(() => frames.some((f) => f.event === 'pusher:connection_established'), 3000, 'established');
  raw.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: '#server-to-user-dana' } }));
  await until(() => frames.some((f) => f.event === 'pusher:subscription_error'), 3000, 'refused');
  assert.equal(frames.find((f) => f.event === 'pusher:subscription_error').data.status, 401);
  raw.close();
});

test('apps are isolated, and native clients cannot reach an app\'s channels', async () => {
  const mine = client();
  const theirs = client({ app: OTHER_APP });
  const cm = await subscribed(mine, 'shared-name');
  const ct = await subscribed(theirs, 'shared-name');
  const leaked = next(ct, 'secret', 500).then(() => 'leaked', () => 'isolated');
  const got = next(cm, 'secret');
  await server.trigger('shared-name', 'secret', { x: 1 });
  assert.deepEqual(await got, { x: 1 });
  assert.equal(await leaked, 'isolated');

  const native = new WebSocket(`${gateway.url()}?token=${await gateway.token('n1')}`);
  const frames = [];
  native.on('message', (m) => frames.push(JSON.parse(m)));
  await until(() => frames.some((f) => f.type === 'welcome'), 3000, 'native welcome');
  native.send(JSON.stringify({ id: '1', type: 'subscribe', data: { channel: `pusher.${APP.id}:shared-name` } }));
  await until(() => frames.some((f) => f.re === '1'), 3000, 'native answer');
  assert.equal(frames.find((f) => f.re === '1').error?.code, 'forbidden');
  native.close();
  // A native backend reaches the app's channel through the native API, under the app's namespace.
  const viaApi = next(cm, 'from-native');
  await gateway.api('POST', '/api/publish', { channel: `pusher.${APP.id}:shared-name`, data: { event: 'from-native', data: { ok: 1 } } });
  assert.deepEqual(await viaApi, { ok: 1 });
});

test('operations see apps: metrics labelled by app, the access log names it, the admin lists an app\'s channels', async () => {
  const mine = client();
  const theirs = client({ app: OTHER_APP });
  await subscribed(mine, 'ops-room');
  await subscribed(theirs, 'ops-other-room');
  await server.trigger('ops-room', 'tick', { n: 1 });
  const refused = new WebSocket(`ws://127.0.0.1:${gateway.port}/app/no-such-key?protocol=7`);
  await new Promise((resolve) => refused.on('close', resolve));

  const metrics = async () => (await fetch(`${gateway.http}/metrics`)).text();
  const value = (text, name, labels) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((x) => l.includes(x)));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  const m = await metrics();
  assert.ok(value(m, 'switchboard_pusher_connections', [`app="${APP.id}"`]) >= 1, 'open connections of the app');
  assert.ok(value(m, 'switchboard_pusher_connections', [`app="${OTHER_APP.id}"`]) >= 1);
  assert.ok(value(m, 'switchboard_pusher_events_triggered_total', [`app="${APP.id}"`]) >= 1);
  assert.ok(value(m, 'switchboard_pusher_api_requests_total', [`app="${APP.id}"`, 'operation="events"', 'status="200"']) >= 1);
  assert.ok(value(m, 'switchboard_pusher_messages_received_total', [`app="${OTHER_APP.id}"`]) >= 1);
  assert.ok(value(m, 'switchboard_pusher_errors_total', ['app="unknown"', 'code="4001"']) >= 1, 'an unknown key, counted');

  const login = await fetch(`${gateway.http}/admin/api/login`, {
    method: 'POST', body: JSON.stringify({ password: ADMIN_PASSWORD }), headers: { 'Content-Type': 'application/json' },
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const admin = async (path) => (await fetch(`${gateway.http}/admin/api/${path}`, { headers: { Cookie: cookie } })).json();
  const { namespaces } = await admin('namespaces');
  assert.ok(namespaces.some((n) => n.namespace === `pusher.${APP.id}` && n.channels >= 1), JSON.stringify(namespaces));
  const listed = (await admin(`channels?namespace=pusher.${APP.id}`)).channels.map((c) => c.channel);
  assert.ok(listed.includes(`pusher.${APP.id}:ops-room`), JSON.stringify(listed));
  assert.ok(listed.every((c) => c.startsWith(`pusher.${APP.id}:`)), 'only that app\'s channels');

  mine.disconnect();
  await until(() => gateway.output.split('\n').some((l) => l.includes('event=conn_close') && l.includes(`app=${APP.id}`)
    && l.includes(`endpoint=/app/${APP.key}`)), 5000, 'an access-log line naming the app');
});

test('hostile input is answered with Pusher\'s errors and harms nobody else', async () => {
  const raw = (key, query = '?protocol=7&client=js&version=8.4.0') => new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}/app/${key}${query}`);
    const frames = [];
    ws.on('message', (m) => frames.push(JSON.parse(m)));
    ws.on('close', (code) => resolve({ code, frames }));
  });
  const unknown = await raw('no-such-key');
  assert.equal(unknown.code, 4001);
  assert.equal(unknown.frames[0].event, 'pusher:error');
  assert.equal(unknown.frames[0].data.code, 4001);
  const oldProtocol = await raw(APP.key, '?protocol=3');
  assert.equal(oldProtocol.code, 4007);

  // A connection that sends 10,000 subscribe frames: refused past the rate limit, then closed; others live on.
  const bystander = client();
  const by = await subscribed(bystander, 'bystanders');
  const flood = new WebSocket(`ws://127.0.0.1:${gateway.port}/app/${APP.key}?protocol=7`);
  const closed = new Promise((resolve) => flood.on('close', resolve));
  await new Promise((resolve) => flood.on('open', resolve));
  for (let i = 0; i < 10000 && flood.readyState === WebSocket.OPEN; i++) {
    flood.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: `flood-${i}` } }));
  }
  assert.equal(await closed, 4301);
  const stillHere = next(by, 'alive');
  await server.trigger('bystanders', 'alive', {});
  await stillHere;

  // The HTTP API: a stale timestamp, a wrong body_md5, another app's secret, an oversized event.
  const signedWith = (secret, { method = 'POST', path = `/apps/${APP.id}/events`, body = '{"name":"e","channel":"c","data":"{}"}',
    timestamp = Math.floor(Date.now() / 1000), md5 } = {}) => {
    const params = { auth_key: APP.key, auth_timestamp: String(timestamp), auth_version: '1.0',
      body_md5: md5 || crypto.createHash('md5').update(body).digest('hex') };
    const query = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
    const signature = crypto.createHmac('sha256', secret).update(`${method}\n${path}\n${query}`).digest('hex');
    return fetch(`http://127.0.0.1:${gateway.port}${path}?${query}&auth_signature=${signature}`,
      { method, body, headers: { 'content-type': 'application/json' } });
  };
  assert.equal((await signedWith(APP.secret)).status, 200);
  const stale = await signedWith(APP.secret, { timestamp: Math.floor(Date.now() / 1000) - 601 });
  assert.equal(stale.status, 401);
  assert.match(await stale.text(), /Timestamp expired/);
  assert.equal((await signedWith(APP.secret, { md5: '0'.repeat(32) })).status, 401);
  const foreign = await signedWith(OTHER_APP.secret);
  assert.equal(foreign.status, 401);
  assert.match(await foreign.text(), /Invalid signature/);
  const big = await signedWith(APP.secret, { body: JSON.stringify({ name: 'e', channel: 'c', data: 'x'.repeat(11000) }) });
  assert.equal(big.status, 413);
  const tooMany = await signedWith(APP.secret, { body: JSON.stringify({ name: 'e', data: '{}',
    channels: Array.from({ length: 101 }, (_, i) => `c${i}`) }) });
  assert.equal(tooMany.status, 400, 'at most 100 channels (the SDK refuses it before sending; a raw request is refused here)');
});

test('a full node says so inside the socket, as Pusher does: pusher:error 4100, close 4100', async () => {
  const full = await Gateway.start([...pusherArgs(), '--max-connections', '1']);
  try {
    const first = clientFor(full);
    clients.push(first);
    await connected(first);
    const second = await new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${full.port}/app/${APP.key}?protocol=7`);
      const frames = [];
      ws.on('message', (m) => frames.push(JSON.parse(m)));
      ws.on('close', (code) => resolve({ code, frames }));
    });
    assert.equal(second.code, 4100);
    assert.equal(second.frames[0].data.code, 4100);
    assert.equal(first.connection.state, 'connected', 'the connection already there is untouched');
  } finally {
    await full.kill();
  }
});

test('extensions stock clients do not use: idempotent triggers, and a channel\'s events since an offset', async () => {
  const c = client();
  const ch = await subscribed(c, 'ledger');
  const seen = [];
  ch.bind('entry', (d) => seen.push(d.n));
  for (let i = 0; i < 2; i++) {
    const r = await fetch(...signedPost(`/apps/${APP.id}/events`, { name: 'entry', channel: 'ledger', data: '{"n":1}' },
      { 'X-Idempotency-Key': 'entry-1' }));
    assert.equal(r.status, 200);
  }
  await server.trigger('ledger', 'entry', { n: 2 });
  await until(() => seen.includes(2), 3000, 'second entry');
  assert.deepEqual(seen, [1, 2], 'the retried trigger was published once');
  const history = await (await server.get({ path: '/channels/ledger/events', params: { since: '0' } })).json();
  assert.deepEqual(history.events.map((e) => [e.event, JSON.parse(e.data).n, e.offset]), [['entry', 1, 1], ['entry', 2, 2]]);
});

/** fetch() arguments for a POST signed as the Pusher libraries sign it. */
function signedPost(path, body, headers = {}) {
  const text = JSON.stringify(body);
  const params = { auth_key: APP.key, auth_timestamp: String(Math.floor(Date.now() / 1000)), auth_version: '1.0',
    body_md5: crypto.createHash('md5').update(text).digest('hex') };
  const query = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  const signature = crypto.createHmac('sha256', APP.secret).update(`POST\n${path}\n${query}`).digest('hex');
  return [`http://127.0.0.1:${gateway.port}${path}?${query}&auth_signature=${signature}`,
    { method: 'POST', body: text, headers: { 'content-type': 'application/json', ...headers } }];
}
