import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Switchboard } from '../../dist/index.js';
import { fakeSocketClass, until } from '../support/fake-socket.js';

const fast = { minDelay: 1, maxDelay: 1, random: () => 0 };

function setup(options = {}) {
  const WebSocket = fakeSocketClass();
  const client = new Switchboard('ws://gw.test/ws', { WebSocket, reconnect: fast, heartbeat: false, ...options });
  const events = [];
  for (const name of ['state', 'connected', 'disconnected']) client.on(name, (e) => events.push([name, e]));
  return { WebSocket, client, events, socket: (i) => WebSocket.sockets[i] };
}

test('getToken is called for every attempt and its ticket goes into ?token=', async () => {
  let n = 0;
  const { WebSocket, client } = setup({ getToken: async () => `t${++n}` });
  client.connect();
  await until(() => WebSocket.sockets[0]);
  assert.equal(WebSocket.sockets[0].url.searchParams.get('token'), 't1');
  WebSocket.sockets[0].accept();
  WebSocket.sockets[0].drop(1006);
  await until(() => WebSocket.sockets[1]);
  assert.equal(WebSocket.sockets[1].url.searchParams.get('token'), 't2');
  client.close();
});

test('a failing getToken is retried with backoff', async () => {
  let calls = 0;
  const { WebSocket, client } = setup({
    getToken: async () => {
      calls += 1;
      if (calls < 3) throw new Error('auth service down');
      return 'ok';
    },
  });
  const errors = [];
  client.on('error', (e) => errors.push(e.code));
  const connected = client.connect();
  await until(() => WebSocket.sockets[0]);
  WebSocket.sockets[0].accept();
  await connected;
  assert.equal(calls, 3);
  assert.deepEqual(errors, ['token_unavailable', 'token_unavailable']);
  client.close();
});

test('no reconnect after 4003 or 4009; reconnect after 1000 from the other side, 1001, 1006, 4000', async () => {
  for (const [code, again] of [[4003, false], [4009, false], [1000, true], [1001, true], [1006, true], [4000, true]]) {
    const { WebSocket, client, events } = setup({ token: 'x' });
    client.connect().catch(() => {});
    WebSocket.sockets[0].accept();
    WebSocket.sockets[0].drop(code, 'bye');
    const disconnected = events.find(([name]) => name === 'disconnected')[1];
    assert.equal(disconnected.code, code);
    assert.equal(disconnected.reason, 'bye');
    assert.equal(disconnected.willReconnect, again, `close ${code}`);
    assert.equal(client.state, again ? 'connecting' : 'disconnected');
    if (again) await until(() => WebSocket.sockets[1], 1000, `reconnect after ${code}`);
    client.close();
  }
});

test('after 1012 (the node restarts) the next attempt comes within a second, whatever the backoff', async () => {
  const { WebSocket, client, events } = setup({ token: 'x', reconnect: { minDelay: 60000, maxDelay: 60000 } });
  client.connect().catch(() => {});
  WebSocket.sockets[0].accept();
  WebSocket.sockets[0].drop(1012, 'server restarting, reconnect');
  const disconnected = events.find(([name]) => name === 'disconnected')[1];
  assert.equal(disconnected.willReconnect, true);
  assert.ok(disconnected.delay >= 0 && disconnected.delay < 1000, `delay ${disconnected.delay}`);
  await until(() => WebSocket.sockets[1], 2000, 'reconnect after 1012');
  client.close();
});

test('the error frame before a 4003 close is reported with the disconnect', async () => {
  const { WebSocket, client } = setup({ token: 'bad' });
  const failed = client.connect();
  const socket = WebSocket.sockets[0];
  socket.readyState = 1;
  socket.push({ type: 'error', error: { code: 'token_invalid', message: 'bad signature' } });
  socket.drop(4003, '');
  await assert.rejects(failed, { code: 'token_invalid' });
  assert.equal(client.state, 'disconnected');
});

test('close() stops reconnecting and fails queued requests', async () => {
  const { WebSocket, client, events } = setup({ token: 'x' });
  client.connect();
  WebSocket.sockets[0].accept();
  WebSocket.sockets[0].drop(1006);
  const queued = client.publish('chat:a', { text: 'later' });
  client.close();
  await assert.rejects(queued, { code: 'closed' });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(WebSocket.sockets.length, 1);
  assert.deepEqual(events.filter(([n]) => n === 'disconnected').map(([, e]) => [e.code, e.willReconnect]), [[1006, true], [1000, false]]);
});

test('resubscribe sends since = last position; held live messages come after the replay, in order', async () => {
  const { WebSocket, client } = setup({ token: 'x' });
  const sub = client.subscribe('chat:a');
  const seen = [];
  const subscribed = [];
  sub.on('message', (m) => seen.push(m.offset));
  sub.on('subscribed', (e) => subscribed.push(e));
  client.connect();
  let socket = WebSocket.sockets[0];
  socket.accept();
  let request = socket.last('subscribe');
  assert.deepEqual(request.data, { channel: 'chat:a' });
  socket.reply(request, { channel: 'chat:a', offset: 4, epoch: 'e1' });
  await until(() => subscribed.length === 1);
  socket.push({ type: 'message', channel: 'chat:a', offset: 5, epoch: 'e1', ts: 1, from: 'bob', data: {} });
  socket.drop(1006);

  await until(() => WebSocket.sockets[1]);
  socket = WebSocket.sockets[1];
  socket.accept();
  request = socket.last('subscribe');
  assert.deepEqual(request.data, { channel: 'chat:a', since: { offset: 5, epoch: 'e1' } });
  // A live message overtakes the subscribe reply: it must wait for the replayed 6 and 7.
  socket.push({ type: 'message', channel: 'chat:a', offset: 8, epoch: 'e1', ts: 1, from: 'bob', data: {} });
  socket.reply(request, {
    channel: 'chat:a', offset: 7, epoch: 'e1', recovered: true,
    publications: [6, 7].map((offset) => ({ offset, epoch: 'e1', ts: 1, from: 'bob', data: {} })),
  });
  await until(() => subscribed.length === 2);
  assert.deepEqual(seen, [5, 6, 7, 8]);
  assert.equal(subscribed[1].recovered, true);
  assert.equal(subscribed[1].resubscribed, true);
  assert.equal(subscribed[1].replayed, 2);
  // A duplicate is dropped.
  socket.push({ type: 'message', channel: 'chat:a', offset: 8, epoch: 'e1', ts: 1, from: 'bob', data: {} });
  assert.deepEqual(seen, [5, 6, 7, 8]);
  client.close();
});

test('recovered: false is surfaced and the position jumps to the new epoch', async () => {
  const { WebSocket, client } = setup({ token: 'x' });
  const sub = client.subscribe('chat:a', { since: { offset: 3, epoch: 'old' } });
  const subscribed = [];
  sub.on('subscribed', (e) => subscribed.push(e));
  client.connect();
  const socket = WebSocket.sockets[0];
  socket.accept();
  const request = socket.last('subscribe');
  assert.deepEqual(request.data.since, { offset: 3, epoch: 'old' });
  socket.reply(request, { channel: 'chat:a', offset: 0, epoch: 'new', recovered: false });
  await until(() => subscribed.length === 1);
  assert.equal(subscribed[0].recovered, false);
  assert.deepEqual(sub.position, { offset: 0, epoch: 'new' });
  client.close();
});

test('a subscribe the gateway cannot make now (unavailable) is asked for again, not ended', async () => {
  const { WebSocket, client } = setup({ token: 'x' });
  const sub = client.subscribe('chat:r');
  const errors = [];
  sub.on('error', (e) => errors.push(e));
  const subscribed = [];
  sub.on('subscribed', (e) => subscribed.push(e));
  client.connect();
  const socket = WebSocket.sockets[0];
  socket.accept();
  const first = socket.last('subscribe');
  socket.push({ type: 'error', re: first.id, error: { code: 'unavailable', message: 'redis restarting' } });
  await until(() => socket.sent.filter((f) => f.type === 'subscribe').length === 2, 3000, 'the second subscribe');
  socket.reply(socket.last('subscribe'), { channel: 'chat:r', offset: 0, epoch: 'e' });
  await until(() => subscribed.length === 1);
  assert.equal(errors.length, 0);
  assert.equal(sub.closed, false);
  client.close();
});

test('request timeout rejects with code timeout and sends cancel', async () => {
  const { WebSocket, client } = setup({ token: 'x' });
  client.connect();
  WebSocket.sockets[0].accept();
  const started = Date.now();
  await assert.rejects(client.request('slow.thing', {}, { timeout: 50 }), { code: 'timeout' });
  assert.ok(Date.now() - started >= 45);
  const sent = WebSocket.sockets[0].sent;
  const request = sent.find((f) => f.type === 'slow.thing');
  assert.deepEqual(sent.at(-1), { type: 'cancel', data: { re: request.id } });
  client.close();
});

test('requests made while reconnecting are sent after the welcome; in-flight ones fail with disconnected', async () => {
  const { WebSocket, client } = setup({ token: 'x' });
  client.connect();
  WebSocket.sockets[0].accept();
  const inFlight = client.request('echo', { n: 1 });
  WebSocket.sockets[0].drop(1006);
  await assert.rejects(inFlight, { code: 'disconnected' });
  const queued = client.request('echo', { n: 2 });
  await until(() => WebSocket.sockets[1]);
  WebSocket.sockets[1].accept();
  const frame = await until(() => WebSocket.sockets[1].last('echo'));
  WebSocket.sockets[1].reply(frame, { n: 2 });
  assert.deepEqual(await queued, { n: 2 });
  client.close();
});

test('stream: chunks in order, abort sends cancel, the loop ends when the gateway confirms', async () => {
  const { WebSocket, client } = setup({ token: 'x' });
  client.connect();
  const socket = WebSocket.sockets[0];
  socket.accept();
  const controller = new AbortController();
  const stream = client.stream('demo.stream', { prompt: 'p' }, { signal: controller.signal });
  const request = socket.last('demo.stream');
  const got = [];
  const loop = (async () => {
    for await (const chunk of stream) {
      got.push(chunk.text);
      if (got.length === 2) controller.abort();
    }
  })();
  socket.push({ type: 'chunk', re: request.id, data: { text: 'a' } });
  socket.push({ type: 'chunk', re: request.id, data: { text: 'b' } });
  const cancel = await until(() => socket.last('cancel'));
  assert.deepEqual(cancel.data, { re: request.id });
  socket.push({ type: 'end', re: request.id, reason: 'cancelled' });
  await loop;
  assert.deepEqual(got, ['a', 'b']);
  assert.equal(stream.endReason, 'cancelled');
  client.close();
});

test('stream: an error frame makes the iterator throw', async () => {
  const { WebSocket, client } = setup({ token: 'x' });
  client.connect();
  const socket = WebSocket.sockets[0];
  socket.accept();
  const stream = client.stream('nope', {});
  socket.push({ type: 'error', re: socket.last('nope').id, error: { code: 'unknown_type', message: 'no handler' } });
  await assert.rejects(async () => {
    for await (const _ of stream); // eslint-disable-line no-unused-vars
  }, { code: 'unknown_type' });
  client.close();
});

test('heartbeat: answered pings keep the connection; they are bare text frames', async () => {
  const { WebSocket, client, events } = setup({ token: 'x', heartbeat: { interval: 10, timeout: 30 } });
  WebSocket.onPing = (socket) => queueMicrotask(() => socket.pong());
  client.connect();
  WebSocket.sockets[0].accept();
  await until(() => WebSocket.sockets[0].pings >= 5, 2000, 'five pings');
  assert.equal(WebSocket.sockets.length, 1);
  assert.equal(events.filter(([n]) => n === 'disconnected').length, 0);
  assert.deepEqual(WebSocket.sockets[0].sent, []); // no JSON frames for the heartbeat
  client.close();
});

test('heartbeat: an unanswered ping drops the socket and reconnects', async () => {
  const { WebSocket, client, events } = setup({ token: 'x', heartbeat: { interval: 20, timeout: 30 } });
  client.connect();
  WebSocket.sockets[0].accept();
  await until(() => WebSocket.sockets[1], 2000, 'reconnect after heartbeat timeout');
  const lost = events.find(([n]) => n === 'disconnected')[1];
  assert.equal(lost.reason, 'heartbeat timeout');
  client.close();
});

test('presence tracking: snapshot after subscribe, then join and leave events', async () => {
  const { WebSocket, client } = setup({ token: 'x' });
  WebSocket.onSend = (socket, frame) => {
    if (frame.type === 'subscribe') queueMicrotask(() => socket.reply(frame, { channel: frame.data.channel, offset: 0, epoch: 'e' }));
    if (frame.type === 'presence') queueMicrotask(() => socket.reply(frame, { channel: frame.data.channel, users: [{ user: 'alice', connections: 2 }] }));
  };
  const sub = client.subscribe('chat:a', { presence: true });
  const lists = [];
  sub.on('members', (m) => lists.push(m.map((x) => x.user)));
  client.connect();
  WebSocket.sockets[0].accept();
  await until(() => lists.length === 1);
  WebSocket.sockets[0].push({ type: 'presence', channel: 'chat:a', event: 'join', user: 'bob', ts: 1 });
  WebSocket.sockets[0].push({ type: 'presence', channel: 'chat:a', event: 'leave', user: 'alice', ts: 2 });
  assert.deepEqual(lists, [['alice'], ['alice', 'bob'], ['bob']]);
  client.close();
});

test('no WebSocket implementation is a clear error', () => {
  const saved = globalThis.WebSocket;
  delete globalThis.WebSocket;
  try {
    assert.throws(() => new Switchboard('ws://x/ws'), /No WebSocket implementation/);
  } finally {
    if (saved) globalThis.WebSocket = saved;
  }
});

test('after close(), requests fail at once with closed instead of waiting for their timeout', async () => {
  const { WebSocket, client } = setup({ token: 'x', requestTimeout: 60000 });
  client.connect();
  WebSocket.sockets[0].accept();
  client.close();
  const started = Date.now();
  await assert.rejects(client.publish('chat:a', 1), { code: 'closed' });
  assert.ok(Date.now() - started < 100);
  // connect() again makes the client usable again.
  client.connect();
  WebSocket.sockets[1].accept();
  const echo = client.request('echo', 2);
  WebSocket.sockets[1].reply(WebSocket.sockets[1].last('echo'), 2);
  assert.equal(await echo, 2);
  client.close();
});

test('a fire-and-forget connect() refused with 4003 raises no unhandled rejection', async () => {
  const { WebSocket, client } = setup({ token: 'bad' });
  client.connect(); // not awaited, no catch: must not crash the process
  WebSocket.sockets[0].drop(4003);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(client.state, 'disconnected');
});

test('unsubscribe while the subscribe is in flight still tells the gateway, after the subscribe', async () => {
  const { WebSocket, client } = setup({ token: 'x' });
  client.connect();
  const socket = WebSocket.sockets[0];
  socket.accept();
  const sub = client.subscribe('chat:a');
  sub.unsubscribe();
  assert.deepEqual(socket.sent.map((f) => f.type), ['subscribe', 'unsubscribe']);
  client.close();
});
