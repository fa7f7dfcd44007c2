// The SDK against a real gateway process (one for this file): every feature except restarts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket, tolerate } from './support/schema.js'; // frames checked against the protocol schema
import { Switchboard, SwitchboardError } from '../dist/index.js';
import { Gateway } from './support/gateway.js';
import { clientFor, nextEvent, record, until } from './support/clients.js';

let gateway;
const clients = [];
function track(client) {
  clients.push(client);
  return client;
}

before(async () => {
  gateway = await Gateway.start();
});

after(async () => {
  for (const client of clients) client.close();
  await gateway?.stop();
});

describe('connecting', () => {
  test('getToken ticket, welcome, state events in order', async () => {
    const client = track(clientFor(gateway, 'alice'));
    const states = record(client, 'state');
    const welcome = await client.connect();
    assert.equal(welcome.user, 'alice');
    assert.equal(welcome.endpoint, '/ws');
    assert.ok(welcome.connection && welcome.session && welcome.node);
    assert.equal(client.state, 'connected');
    assert.equal(client.user, 'alice');
    assert.deepEqual(states, ['connecting', 'connected']);
    assert.equal(client.tokenCalls, 1);
  });

  test('a fixed token works too; Node 20 without a global WebSocket needs the injected one', async () => {
    const client = track(new Switchboard(gateway.url(), { WebSocket, token: await gateway.token('fixed') }));
    assert.equal((await client.connect()).user, 'fixed');
  });

  test('a rejected ticket: 4003, connect() rejects with the error code, no reconnect', async () => {
    const client = track(new Switchboard(gateway.url(), { WebSocket, token: 'not.a.jwt', reconnect: { minDelay: 50, maxDelay: 50 } }));
    const disconnects = record(client, 'disconnected');
    await assert.rejects(client.connect(), (err) => err instanceof SwitchboardError && /token_/.test(err.code));
    assert.equal(disconnects.length, 1);
    assert.equal(disconnects[0].code, 4003);
    assert.equal(disconnects[0].willReconnect, false);
    assert.equal(client.state, 'disconnected');
    await new Promise((resolve) => setTimeout(resolve, 200)); // a reconnect would have happened by now
    assert.equal(disconnects.length, 1);
  });

  test('POST /api/disconnect closes with 4009 and the client stays down', async () => {
    const client = track(clientFor(gateway, 'kicked'));
    await client.connect();
    const down = nextEvent(client, 'disconnected');
    await gateway.api('POST', '/api/disconnect', { user: 'kicked', reason: 'banned' });
    const event = await down;
    assert.equal(event.code, 4009);
    assert.equal(event.willReconnect, false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(client.state, 'disconnected');
    assert.equal(client.tokenCalls, 1);
  });

  test('close() is final: code 1000, no reconnect, later requests fail with closed', async () => {
    const client = track(clientFor(gateway, 'leaver'));
    await client.connect();
    const down = nextEvent(client, 'disconnected');
    client.close();
    const event = await down;
    assert.equal(event.code, 1000);
    assert.equal(event.willReconnect, false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(client.tokenCalls, 1);
  });
});

describe('requests', () => {
  test('request resolves with the reply data; an error reply rejects with its code', async () => {
    const client = track(clientFor(gateway, 'req'));
    await client.connect();
    assert.deepEqual(await client.request('echo', { a: [1, 2, 3] }), { a: [1, 2, 3] });
    await assert.rejects(client.request('no.such.type', {}), { name: 'SwitchboardError', code: 'unknown_type' });
    tolerate('bad channel'); // an invalid channel name on purpose: the server's refusal is the point
    await assert.rejects(client.publish('bad channel', {}), { code: 'bad_request' });
    const pong = await client.ping();
    assert.ok(Math.abs(pong.ts - Date.now()) < 60000);
  });

  test('request timeout: rejects with code timeout on time and cancels the work on the gateway', async () => {
    const client = track(clientFor(gateway, 'impatient'));
    await client.connect();
    const frames = record(client, 'frame');
    const started = Date.now();
    // demo.stream needs ~50 ms per word: far longer than the timeout, and it ends only with `end`.
    const prompt = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    await assert.rejects(client.request('demo.stream', { prompt }, { timeout: 300 }), { code: 'timeout' });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 2000, `timed out after ${elapsed} ms`);
    const sent = frames.filter((f) => f.direction === 'out').map((f) => JSON.parse(f.text));
    const request = sent.find((f) => f.type === 'demo.stream');
    assert.deepEqual(sent.at(-1), { type: 'cancel', data: { re: request.id } });
    await until(() => frames.some((f) => f.direction === 'in' && JSON.parse(f.text).type === 'end'), 3000, 'end after cancel');
    const end = frames.map((f) => JSON.parse(f.text)).find((f) => f.type === 'end');
    assert.equal(end.reason, 'cancelled');
    // The connection is still healthy afterwards.
    assert.deepEqual(await client.request('echo', 1), 1);
  });

  test('an aborted signal rejects a request with code aborted', async () => {
    const client = track(clientFor(gateway, 'aborter'));
    await client.connect();
    const controller = new AbortController();
    const pending = client.request('demo.stream', { prompt: 'a b c d e f g h' }, { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { code: 'aborted' });
  });
});

describe('streams', () => {
  test('stream yields every chunk in order and ends with complete', async () => {
    const client = track(clientFor(gateway, 'streamer'));
    await client.connect();
    const stream = client.stream('demo.stream', { prompt: 'one two three' });
    const text = [];
    for await (const chunk of stream) text.push(chunk.text);
    assert.ok(text.length >= 3, `only ${text.length} chunks`);
    assert.match(text.join(''), /one two three/);
    assert.equal(stream.endReason, 'complete');
  });

  test('aborting the signal sends cancel and the loop ends with reason cancelled', async () => {
    const client = track(clientFor(gateway, 'stopper'));
    await client.connect();
    const frames = record(client, 'frame');
    const controller = new AbortController();
    const prompt = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const stream = client.stream('demo.stream', { prompt }, { signal: controller.signal });
    let count = 0;
    const started = Date.now();
    for await (const chunk of stream) {
      assert.equal(typeof chunk.text, 'string');
      if (++count === 3) controller.abort();
    }
    assert.equal(stream.endReason, 'cancelled');
    assert.ok(count < 10, `got ${count} chunks after cancelling`);
    assert.ok(Date.now() - started < 3000);
    assert.ok(frames.some((f) => f.direction === 'out' && JSON.parse(f.text).type === 'cancel'));
  });

  test('breaking out of for-await cancels too', async () => {
    const client = track(clientFor(gateway, 'breaker'));
    await client.connect();
    const frames = record(client, 'frame');
    const stream = client.stream('demo.stream', { prompt: Array.from({ length: 100 }, () => 'x').join(' ') });
    for await (const chunk of stream) {
      void chunk;
      break;
    }
    await until(() => frames.some((f) => f.direction === 'out' && JSON.parse(f.text).type === 'cancel'));
  });

  test('an unknown stream type throws from the iterator', async () => {
    const client = track(clientFor(gateway, 'streamer2'));
    await client.connect();
    await assert.rejects(async () => {
      for await (const chunk of client.stream('no.such.stream', {})) void chunk;
    }, { code: 'unknown_type' });
  });
});

describe('channels', () => {
  test('publish reaches every subscriber in order with increasing offsets; history returns them', async () => {
    const alice = track(clientFor(gateway, 'alice2'));
    const bob = track(clientFor(gateway, 'bob2'));
    await Promise.all([alice.connect(), bob.connect()]);
    const channel = 'chat:pubsub';
    const subA = alice.subscribe(channel);
    const subB = bob.subscribe(channel);
    await Promise.all([nextEvent(subA, 'subscribed'), nextEvent(subB, 'subscribed')]);
    const gotB = record(subB, 'message');
    const acks = [];
    for (let i = 0; i < 20; i++) acks.push(await alice.publish(channel, { text: `m${i}` }));
    await until(() => gotB.length === 20, 5000, '20 messages at bob');
    assert.deepEqual(gotB.map((m) => m.data.text), acks.map((_, i) => `m${i}`));
    assert.deepEqual(gotB.map((m) => m.offset), acks.map((a) => a.offset));
    for (let i = 1; i < acks.length; i++) assert.equal(acks[i].offset, acks[i - 1].offset + 1);
    assert.ok(gotB.every((m) => m.from === 'alice2' && m.channel === channel && m.epoch === acks[0].epoch));
    assert.deepEqual(subB.position, { offset: acks.at(-1).offset, epoch: acks[0].epoch });

    const oldest = await bob.history(channel, { limit: 3 });
    assert.deepEqual(oldest.publications.map((p) => p.data.text), ['m0', 'm1', 'm2']);
    const newest = await bob.history(channel, { limit: 3, reverse: true });
    assert.deepEqual(newest.publications.map((p) => p.data.text), ['m19', 'm18', 'm17']);
    assert.equal(newest.offset, acks.at(-1).offset);
  });

  test('the HTTP API publish reaches subscribers', async () => {
    const client = track(clientFor(gateway, 'listener'));
    await client.connect();
    const sub = client.subscribe('chat:api');
    await nextEvent(sub, 'subscribed');
    const got = nextEvent(sub, 'message');
    await gateway.api('POST', '/api/publish', { channel: 'chat:api', data: { text: 'from backend' }, from: 'system' });
    const message = await got;
    assert.deepEqual(message.data, { text: 'from backend' });
  });

  test('unsubscribe stops delivery', async () => {
    const client = track(clientFor(gateway, 'quitter'));
    await client.connect();
    const sub = client.subscribe('chat:quit');
    await nextEvent(sub, 'subscribed');
    const got = record(client, 'message');
    await sub.unsubscribe();
    assert.equal(client.subscriptions.has('chat:quit'), false);
    await gateway.api('POST', '/api/publish', { channel: 'chat:quit', data: 1 });
    // Round trip on the same connection: had the publication been delivered, it would have come first.
    await client.ping();
    assert.equal(got.length, 0);
  });
});

describe('presence', () => {
  test('join and leave events, presence() query and the tracked member list', async () => {
    const channel = 'chat:presence';
    const carol = track(clientFor(gateway, 'carol'));
    await carol.connect();
    const sub = carol.subscribe(channel, { presence: true });
    await nextEvent(sub, 'members', (m) => m.some((x) => x.user === 'carol'));
    const dave = track(clientFor(gateway, 'dave'));
    await dave.connect();
    const joined = nextEvent(sub, 'presence', (e) => e.event === 'join' && e.user === 'dave');
    dave.subscribe(channel);
    await joined;
    assert.deepEqual(sub.memberList.map((m) => m.user), ['carol', 'dave']);
    const snapshot = await carol.presence(channel);
    assert.deepEqual(snapshot.users.map((u) => u.user).sort(), ['carol', 'dave']);

    const left = nextEvent(sub, 'presence', (e) => e.event === 'leave' && e.user === 'dave');
    dave.close();
    const event = await left;
    assert.equal(event.channel, channel);
    assert.deepEqual(sub.memberList.map((m) => m.user), ['carol']);
  });
});

describe('direct messages', () => {
  test('send() reaches every connection of the user; /api/send too', async () => {
    const eve = track(clientFor(gateway, 'eve'));
    const frank1 = track(clientFor(gateway, 'frank'));
    const frank2 = track(clientFor(gateway, 'frank'));
    await Promise.all([eve.connect(), frank1.connect(), frank2.connect()]);
    const at1 = nextEvent(frank1, 'message');
    const at2 = nextEvent(frank2, 'message');
    await eve.send('frank', { text: 'psst' });
    for (const message of await Promise.all([at1, at2])) {
      assert.equal(message.to, 'frank');
      assert.equal(message.from, 'eve');
      assert.deepEqual(message.data, { text: 'psst' });
    }
    const viaApi = nextEvent(frank2, 'message');
    await gateway.api('POST', '/api/send', { user: 'frank', data: { text: 'from backend' } });
    assert.deepEqual((await viaApi).data, { text: 'from backend' });
  });
});
