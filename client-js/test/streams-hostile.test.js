// Hostile input to /streams/: a 1 GB chunked append, 100,000 creates from one API key, offsets that are not
// the gateway's, a producer epoch going backwards. Each is refused with the protocol's status, the node keeps
// serving, and what it holds stays bounded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import WebSocket from 'ws';
import { Gateway } from './support/gateway.js';

const KEY = { Authorization: 'Bearer dev-api-key' };
let gateway;

before(async () => {
  gateway = await Gateway.start(['--streams-max-append', '1048576', '--streams-max-per-writer', '1000',
    '--api-key', 'dev-api-key', '--api-key', 'flood-key']);
});

after(async () => {
  await gateway?.kill();
});

const put = (path, headers = {}, body) => fetch(`${gateway.http}/streams/${path}`, { method: 'PUT', headers: { ...KEY, 'Content-Type': 'text/plain', ...headers }, body });
const FLOOD = { Authorization: 'Bearer flood-key' };

/** Heap in use on the gateway, from its own metrics (bytes). */
async function heapUsed() {
  const text = await (await fetch(`${gateway.http}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('jvm_memory_used_bytes{') && l.includes('area="heap"'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

test('a 1 GB chunked append is refused with 413 long before it is read, and the node serves on', async () => {
  assert.equal((await put('hostile/big')).status, 201);
  const chunk = Buffer.alloc(1 << 20, 120);
  let sent = 0;
  const status = await new Promise((resolve) => {
    const req = http.request(`${gateway.http}/streams/hostile/big`, {
      method: 'POST', headers: { ...KEY, 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' },
    }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve('closed'));
    const pump = () => {
      while (sent < 1024 * chunk.length) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
  assert.ok(status === 413 || status === 'closed', `refused: ${status}`);
  assert.ok(sent < 256 * chunk.length, `the gateway stopped reading early (${sent >> 20} MiB sent of 1024)`);
  const head = await fetch(`${gateway.http}/streams/hostile/big`, { method: 'HEAD', headers: KEY });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('stream-next-offset'), '0000000000000000_0000000000000000', 'nothing was appended');
});

test('100,000 creates from one API key: 1,000 streams (its limit), 99,000 refused with 429, memory bounded', async () => {
  const before = await heapUsed();
  const counts = new Map();
  let next = 0;
  const worker = async () => {
    while (next < 100_000) {
      const i = next++;
      const r = await put(`flood/s${i}`, FLOOD);
      counts.set(r.status, (counts.get(r.status) || 0) + 1);
      await r.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  assert.equal(counts.get(201), 1000, JSON.stringify([...counts]));
  assert.equal(counts.get(429), 99_000, JSON.stringify([...counts]));
  const grown = (await heapUsed()) - before;
  assert.ok(grown < 256 * 1024 * 1024, `heap grew by ${grown >> 20} MiB`);
  assert.equal((await put('flood/by-another-key')).status, 201, 'another writer is not starved');
  const other = await fetch(`${gateway.http}/streams/flood/other`, { method: 'PUT', headers: { Authorization: 'Bearer nope' } });
  assert.equal(other.status, 401, 'a wrong key writes nothing');
});

test('offsets that are not the gateway\'s are refused (400), one past the tail is gone (410)', async () => {
  assert.equal((await put('hostile/offsets', {}, 'abc')).status, 201);
  for (const bad of ['abc', '1_2', '0000000000000000_000000000000000x', '../etc', '0,1', '-2', '00000000000000000000000000000000']) {
    const r = await fetch(`${gateway.http}/streams/hostile/offsets?offset=${encodeURIComponent(bad)}`, { headers: KEY });
    assert.equal(r.status, 400, bad);
  }
  const past = await fetch(`${gateway.http}/streams/hostile/offsets?offset=0000000000000000_0000000000009999`, { headers: KEY });
  assert.equal(past.status, 410);
  const token = await gateway.token('offsets');
  const ws = new WebSocket(`${gateway.url()}?token=${token}`);
  const frames = [];
  ws.on('message', (m) => frames.push(JSON.parse(m)));
  await new Promise((resolve) => ws.on('open', resolve));
  ws.send(JSON.stringify({ id: 'r', type: 'resume', data: { stream: 'hostile/offsets', offset: 'not-ours' } }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(frames.find((f) => f.re === 'r')?.error?.code, 'bad_request');
  ws.close();
});

test('a producer epoch going backwards is fenced with 403 and the current epoch', async () => {
  assert.equal((await put('hostile/fenced')).status, 201);
  const append = (epoch, seq) => fetch(`${gateway.http}/streams/hostile/fenced`, {
    method: 'POST',
    headers: { ...KEY, 'Content-Type': 'text/plain', 'Producer-Id': 'p', 'Producer-Epoch': String(epoch), 'Producer-Seq': String(seq) },
    body: `e${epoch}s${seq}`,
  });
  assert.equal((await append(3, 0)).status, 200);
  const zombie = await append(2, 1);
  assert.equal(zombie.status, 403);
  assert.equal(zombie.headers.get('producer-epoch'), '3');
  const text = await (await fetch(`${gateway.http}/streams/hostile/fenced?offset=-1`, { headers: KEY })).text();
  assert.equal(text, 'e3s0', 'the zombie wrote nothing');
});
