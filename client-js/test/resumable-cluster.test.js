// Resumable replies and Durable Streams across three gateways on one redis-server, behind a "load balancer"
// (a proxy the test points at one node or another). The requester's connection to the producing node is cut
// and it resumes through another node while the first keeps producing; then the producing node is killed:
// readers get what it wrote and then a clear end (producer_lost), and a backend appending to a Durable Stream
// through whichever node answers carries on through the survivors, every message once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Gateway } from './support/gateway.js';
import { CuttableProxy } from './support/proxy.js';
import { startRedis } from './support/redis.js';
import { clientFor, until } from './support/clients.js';
import { startLlmUpstream, textOf } from './support/llm-upstream.js';

const WORDS = Array.from({ length: 40 }, (_, i) => `w${i}`);
const ANSWER = WORDS.map((w) => `${w} `).join('');
const ASK = { messages: [{ role: 'user', content: 'count' }] };
const KEY = { Authorization: 'Bearer dev-api-key' };

let redis;
let upstream;
let balancer;
const nodes = [];
const clients = [];

before(async () => {
  redis = await startRedis();
  assert.ok(redis, 'redis-server is needed (scripts/install-deps.sh installs it)');
  upstream = await startLlmUpstream({ words: WORDS, delay: 100 });
  const args = ['--engine', 'redis', '--redis', redis.url, '--token-secret', 'resumable-cluster-secret-resumable!!',
    '--presence-ttl', '3s', ...upstream.args];
  for (let i = 0; i < 3; i++) nodes.push(await Gateway.start([...args, '--node-id', `r${i}`]));
  balancer = new CuttableProxy(nodes[0].port);
  await balancer.listen();
});

after(async () => {
  clients.forEach((c) => c.close());
  await balancer?.close();
  await Promise.all(nodes.map((n) => n.kill()));
  await upstream?.close();
  await redis?.stop();
});

function viaBalancer(user) {
  // tickets from r1 (the nodes share the token secret): r0 dies in the second test
  const c = clientFor(nodes[1], user, { url: `ws://127.0.0.1:${balancer.port}/ws` });
  clients.push(c);
  return c;
}

/** The balancer drops every connection and sends the next ones to `node`. */
async function failOver(node) {
  await balancer.cut();
  balancer.targetPort = node.port;
  await balancer.heal();
}

test('cut from the producing node, the requester resumes through another node; the first keeps producing', async () => {
  const alice = viaBalancer('alice');
  await alice.connect();
  assert.equal(alice.welcome.node, 'r0');
  const asked = upstream.requests.length;
  const stream = alice.request('llm.chat', ASK, { resumable: true });
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    if (chunks.length === 5) await failOver(nodes[1]);
  }
  assert.equal(alice.welcome.node, 'r1', 'resumed through another node');
  assert.equal(stream.endReason, 'complete');
  assert.equal(textOf(chunks), ANSWER, 'every token once, in order, across the move');
  assert.equal(upstream.requests.length, asked + 1);
  assert.equal(upstream.requests.at(-1).aborted, false, 'r0 kept producing for nobody connected to it');
});

test('the producing node dies: readers get what it wrote, then producer_lost; a Durable Streams backend carries on', async () => {
  balancer.targetPort = nodes[0].port;
  const bob = viaBalancer('bob');
  await bob.connect();
  await until(() => bob.welcome.node === 'r0', 3000, 'on r0');
  const stream = bob.request('llm.chat', ASK, { resumable: true });

  // a backend writes a job's log through whichever node answers, with an idempotent producer
  const job = `jobs/cluster-${Date.now()}`;
  assert.equal((await fetch(`${nodes[1].http}/streams/${job}`, { method: 'PUT', headers: { ...KEY, 'Content-Type': 'application/json' } })).status, 201);
  let alive = [0, 1, 2];
  const appendThroughAnyNode = async (seq) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const node = nodes[alive[(seq + attempt) % alive.length]];
      try {
        const r = await fetch(`${node.http}/streams/${job}`, {
          method: 'POST',
          headers: { ...KEY, 'Content-Type': 'application/json', 'Producer-Id': 'job-writer', 'Producer-Epoch': '0', 'Producer-Seq': String(seq) },
          body: JSON.stringify({ line: seq }),
          signal: AbortSignal.timeout(2000),
        });
        if (r.status === 200 || r.status === 204) return;
      } catch {
        // that node is gone: the next one takes the same (producer, seq), deduplicated if it was stored
      }
    }
    throw new Error(`append ${seq} failed on every node`);
  };

  const chunks = [];
  let killed = false;
  let seq = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    await appendThroughAnyNode(seq++);
    if (chunks.length === 6 && !killed) {
      killed = true;
      await nodes[0].kill(); // the producing node dies mid-answer
      alive = [1, 2];
      await failOver(nodes[2]);
    }
  }
  for (; seq < 20; seq++) await appendThroughAnyNode(seq);
  assert.ok(killed);
  assert.equal(stream.endReason, 'producer_lost', 'a clear end, not a hang');
  const text = textOf(chunks);
  assert.ok(chunks.length >= 6 && ANSWER.startsWith(text), `what was written, in order: ${text}`);

  const log = await (await fetch(`${nodes[2].http}/streams/${job}?offset=-1`, { headers: KEY })).json();
  assert.deepEqual(log.map((m) => m.line), Array.from({ length: 20 }, (_, i) => i), 'every line once, in order');
});
