// Reconnects against real gateway processes: a crash (SIGKILL) and restart on the same port, a graceful
// drain (SIGTERM, close 1012: restarting), and a network cut through a proxy, where missed messages are recovered.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Gateway } from './support/gateway.js';
import { CuttableProxy } from './support/proxy.js';
import { clientFor, nextEvent, record, until } from './support/clients.js';

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function gatewayForTest() {
  const gateway = await Gateway.start();
  cleanups.push(() => gateway.kill());
  return gateway;
}

function clientForTest(gateway, user, options) {
  const client = clientFor(gateway, user, options);
  cleanups.push(() => client.close());
  return client;
}

test('gateway killed and restarted on the same port: reconnect with a fresh ticket, resubscribe, queued requests go out', async () => {
  const gateway = await gatewayForTest();
  const client = clientForTest(gateway, 'survivor', { reconnect: { minDelay: 100, maxDelay: 400, factor: 2 } });
  await client.connect();
  const sub = client.subscribe('chat:restart');
  await nextEvent(sub, 'subscribed');
  await client.publish('chat:restart', { text: 'before' });
  await until(() => sub.position?.offset >= 1, 3000, 'own message');
  const before = { ...sub.position };

  const disconnects = record(client, 'disconnected');
  const subscribed = nextEvent(sub, 'subscribed', (e) => e.resubscribed, 20000);
  await gateway.kill();
  await until(() => disconnects.length >= 1, 5000, 'disconnected event');
  assert.equal(disconnects[0].willReconnect, true);
  assert.equal(disconnects[0].code, 1006); // a crash: no close frame
  assert.equal(client.state, 'connecting');

  // Work requested while the gateway is down waits for the next connection.
  const queued = client.request('echo', { while: 'down' }, { timeout: 20000 });
  await until(() => disconnects.length >= 3, 10000, 'some failed attempts while down');
  for (const failed of disconnects) {
    assert.equal(failed.willReconnect, true);
    assert.ok(failed.delay >= 0 && failed.delay < 400, `delay ${failed.delay} outside the backoff window`);
  }

  await gateway.restart();
  const event = await subscribed;
  assert.equal(client.state, 'connected');
  assert.ok(client.tokenCalls >= 2, 'a fresh ticket per attempt');
  assert.deepEqual(await queued, { while: 'down' });
  // A new process has a new history epoch: the missed messages cannot be replayed, and the app is told.
  assert.equal(event.recovered, false);
  assert.notEqual(event.epoch, before.epoch);
  const got = nextEvent(sub, 'message');
  await gateway.api('POST', '/api/publish', { channel: 'chat:restart', data: { text: 'after' } });
  assert.deepEqual((await got).data, { text: 'after' });
});

test('graceful drain (SIGTERM → close 1012, restarting) is followed by a reconnect once the gateway is back', async () => {
  const gateway = await gatewayForTest();
  const client = clientForTest(gateway, 'drained');
  await client.connect();
  const down = nextEvent(client, 'disconnected');
  await gateway.stop();
  const event = await down;
  assert.equal(event.code, 1012);
  assert.equal(event.willReconnect, true);
  assert.ok(event.delay < 1000, `a restart is followed at once (within a second), not by backoff: ${event.delay}`);
  const back = nextEvent(client, 'connected', () => true, 20000);
  await gateway.restart();
  assert.equal((await back).user, 'drained');
});

test('a request in flight when the connection drops fails with disconnected; streams end with an error', async () => {
  const gateway = await gatewayForTest();
  const client = clientForTest(gateway, 'inflight');
  await client.connect();
  const long = Array.from({ length: 200 }, () => 'w').join(' ');
  const stream = client.stream('demo.stream', { prompt: long });
  const first = await stream.next();
  assert.equal(first.done, false);
  // One connection's messages are handled in order: this echo waits behind the running stream.
  const pending = client.request('echo', { n: 1 }, { timeout: 20000 }).then(() => null, (err) => err);
  await gateway.kill();
  assert.equal((await pending)?.code, 'disconnected');
  await assert.rejects(async () => {
    for await (const chunk of stream) void chunk;
  }, { code: 'disconnected' });
  assert.equal(stream.endReason, 'error');
});

// Recovery needs a gateway that keeps history across the outage: a network cut (the gateway lives on).
test('network cut: on reconnect the subscription recovers the messages published meanwhile, in order', async () => {
  const gateway = await gatewayForTest();
  const proxy = new CuttableProxy(gateway.port);
  await proxy.listen();
  cleanups.push(() => proxy.close());
  const client = clientForTest(gateway, 'commuter', { url: `ws://127.0.0.1:${proxy.port}/ws` });
  await client.connect();
  const sub = client.subscribe('chat:tunnel');
  await nextEvent(sub, 'subscribed');
  const texts = [];
  sub.on('message', (m) => texts.push(m.data.text));
  await gateway.api('POST', '/api/publish', { channel: 'chat:tunnel', data: { text: 'seen' } });
  await until(() => texts.length === 1);

  const down = nextEvent(client, 'disconnected');
  await proxy.cut();
  await down;
  for (let i = 0; i < 5; i++) await gateway.api('POST', '/api/publish', { channel: 'chat:tunnel', data: { text: `missed${i}` } });
  const resubscribed = nextEvent(sub, 'subscribed', (e) => e.resubscribed, 10000);
  await proxy.heal();
  const event = await resubscribed;
  assert.equal(event.recovered, true);
  assert.equal(event.replayed, 5);
  await gateway.api('POST', '/api/publish', { channel: 'chat:tunnel', data: { text: 'live' } });
  await until(() => texts.length === 7, 5000, 'live message after the replay');
  assert.deepEqual(texts, ['seen', 'missed0', 'missed1', 'missed2', 'missed3', 'missed4', 'live']);
});

test('heartbeat: a connection busy with a long stream is not mistaken for a dead one', async () => {
  const gateway = await gatewayForTest();
  const client = clientForTest(gateway, 'busy', { heartbeat: { interval: 100, timeout: 300 } });
  await client.connect();
  const disconnects = record(client, 'disconnected');
  // ~50 ms per word: the handler is busy for ~2 s, far longer than the heartbeat timeout.
  const stream = client.stream('demo.stream', { prompt: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ') });
  let chunks = 0;
  for await (const chunk of stream) chunks += chunk ? 1 : 0;
  assert.equal(stream.endReason, 'complete');
  assert.ok(chunks >= 40);
  assert.deepEqual(disconnects, []);
});
