// Resumable replies against a real gateway and a loopback OpenAI-compatible upstream (llm.chat): the answer
// survives a dropped connection (the SDK resumes from its offset), a reload (a new client resumes the saved
// stream from its start), is readable as a Durable Stream by @durable-streams/client, and a cancel from any
// reader stops the producer (the upstream request is aborted).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { stream as readStream } from '@durable-streams/client';
import { Gateway } from './support/gateway.js';
import { CuttableProxy } from './support/proxy.js';
import { clientFor, until } from './support/clients.js';
import { startLlmUpstream, textOf } from './support/llm-upstream.js';
import { savedStream } from '../dist/index.js';

const WORDS = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty'.split(' ');
const ANSWER = WORDS.map((w) => `${w} `).join('');
const ASK = { messages: [{ role: 'user', content: 'count' }] };

let upstream;
let gateway;
let proxy;
const clients = [];

before(async () => {
  upstream = await startLlmUpstream({ words: WORDS, delay: 60 });
  gateway = await Gateway.start(upstream.args);
  proxy = new CuttableProxy(gateway.port);
  await proxy.listen();
});

after(async () => {
  clients.forEach((c) => c.close());
  await proxy?.close();
  await gateway?.kill();
  await upstream?.close();
  delete globalThis.sessionStorage;
});

function client(user, options) {
  const c = clientFor(gateway, user, options);
  clients.push(c);
  return c;
}

/** Reads a stream to its end; `onChunk(chunks)` runs after each chunk. */
async function drain(stream, onChunk = () => {}) {
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    await onChunk(chunks);
  }
  return chunks;
}

test('a resumable reply survives a dropped connection: resumed from its offset, nothing lost or doubled', async () => {
  const alice = client('alice', { url: `ws://127.0.0.1:${proxy.port}/ws` });
  await alice.connect();
  const requestsBefore = upstream.requests.length;
  const stream = alice.request('llm.chat', ASK, { resumable: true });
  let cut = false;
  const chunks = await drain(stream, async (sofar) => {
    if (sofar.length === 4 && !cut) {
      cut = true;
      await proxy.cut(); // the network goes away mid-answer; the gateway keeps producing into the stream
      setTimeout(() => proxy.heal(), 300);
    }
  });
  assert.ok(cut, 'the connection was cut mid-answer');
  assert.equal(stream.endReason, 'complete');
  assert.equal(textOf(chunks), ANSWER, 'every token once, in order');
  assert.match(stream.stream, /^replies\//);
  assert.equal(upstream.requests.length, requestsBefore + 1, 'one upstream request: nothing was asked twice');
  assert.equal(upstream.requests.at(-1).aborted, false, 'the producer was not cancelled by the drop');
});

test('a reload: a new client finds the saved stream and resumes it from its start', async () => {
  const store = new Map();
  globalThis.sessionStorage = {
    getItem: (k) => (store.has(k) ? store.get(k) : null),
    setItem: (k, v) => store.set(k, String(v)),
    removeItem: (k) => store.delete(k),
  };
  const first = client('bob');
  await first.connect();
  const stream = first.request('llm.chat', ASK, { resumable: true, persist: 'answer' });
  for (let i = 0; i < 3; i++) await stream.next(); // three chunks shown ... and the page reloads
  first.close();
  const saved = savedStream('answer');
  assert.ok(saved?.stream.startsWith('replies/'), JSON.stringify(saved));
  const second = client('bob');
  await second.connect();
  const resumed = second.resume(saved.stream, { persist: 'answer' });
  const chunks = await drain(resumed);
  assert.equal(textOf(chunks), ANSWER, 'the whole answer again, then the rest live');
  assert.equal(resumed.endReason, 'complete');
  assert.equal(savedStream('answer'), null, 'forgotten once finished');

  const mallory = client('mallory');
  await mallory.connect();
  const denied = mallory.resume(saved.stream);
  await assert.rejects(drain(denied), (e) => e.code === 'forbidden', 'another user cannot read it');
});

test('@durable-streams/client reads an llm.chat reply as a Durable Stream (the requester\'s ticket)', async () => {
  const carol = client('carol');
  await carol.connect();
  const stream = carol.request('llm.chat', ASK, { resumable: true });
  await drain(stream);
  const token = await gateway.token('carol');
  const response = await readStream({ url: `${gateway.http}/streams/${stream.stream}`, offset: '-1', live: false,
    headers: { Authorization: `Bearer ${token}` } });
  const messages = await response.json();
  assert.equal(messages[0].type, 'start');
  assert.equal(textOf(messages.filter((m) => m.type === 'chunk').map((m) => m.data)), ANSWER);
  assert.equal(messages.at(-1).type, 'end');
  const other = await fetch(`${gateway.http}/streams/${stream.stream}`, { headers: { Authorization: `Bearer ${await gateway.token('dave')}` } });
  assert.equal(other.status, 403, 'another user\'s ticket may not read it');
});

test('a cancel from a resuming client stops the producer: the upstream request is aborted', async () => {
  const erin = client('erin');
  await erin.connect();
  const requestsBefore = upstream.requests.length;
  const stream = erin.request('llm.chat', ASK, { resumable: true });
  await stream.next(); // the first tab is reading
  // a second tab of the same user follows the same reply and presses Stop
  const tab = client('erin');
  await tab.connect();
  await until(() => upstream.requests.length > requestsBefore, 3000, 'upstream asked');
  const follower = tab.resume(stream.stream);
  const got = [];
  for await (const chunk of follower) {
    got.push(chunk);
    if (got.length === 2) follower.cancel();
  }
  assert.equal(follower.endReason, 'cancelled');
  await until(() => upstream.requests.at(-1).aborted, 5000, 'upstream request aborted');
  assert.ok(upstream.requests.at(-1).sent < WORDS.length, 'the answer stopped before its end');
});

test('any readable Durable Stream is followed over the WebSocket like a channel: history, live, close', async () => {
  const KEY = { Authorization: 'Bearer dev-api-key', 'Content-Type': 'text/plain' };
  assert.equal((await fetch(`${gateway.http}/streams/feeds/ws`, { method: 'PUT', headers: KEY, body: 'a' })).status, 201);
  const frank = client('frank');
  await frank.connect();
  const stream = frank.resume('feeds/ws');
  const got = [];
  const done = (async () => {
    for await (const chunk of stream) got.push(chunk);
  })();
  await until(() => got.length === 1, 3000, 'history');
  await fetch(`${gateway.http}/streams/feeds/ws`, { method: 'POST', headers: KEY, body: 'b' });
  await until(() => got.length === 2, 3000, 'live');
  await fetch(`${gateway.http}/streams/feeds/ws`, { method: 'POST', headers: { ...KEY, 'Stream-Closed': 'true' } });
  await done;
  assert.deepEqual(got, ['a', 'b']);
  assert.equal(stream.endReason, 'complete', 'its close ends the follow');
  assert.match(stream.offset, /^\d{16}_\d{16}$/);
});
