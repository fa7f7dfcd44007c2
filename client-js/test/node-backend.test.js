// The README's "Your backend in any language" example (docs/examples/backend.mjs), run as written, as the
// connect and RPC hooks of a real gateway: a backend in Node decides who connects and answers requests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from './support/schema.js'; // frames checked against the protocol schema
import { Gateway } from './support/gateway.js';

const example = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/examples/backend.mjs');
let backend;
let gateway;

before(async () => {
  backend = spawn(process.execPath, [example], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    backend.stdout.on('data', (chunk) => {
      const m = /backend on (\d+)/.exec(String(chunk));
      if (m) resolve(Number(m[1]));
    });
    backend.on('exit', (code) => reject(new Error(`backend exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  gateway = await Gateway.start(['--hook-connect-url', `${url}/connect`, '--hook-forward-headers', 'cookie',
    '--hook-rpc-url', `${url}/rpc`, '--hook-rpc-types', 'app.*']);
});

after(async () => {
  backend?.kill();
  await gateway?.stop();
});

function open(cookie) {
  const socket = new WebSocket(gateway.url(), { headers: cookie ? { Cookie: cookie } : {} });
  const frames = [];
  const waiters = [];
  socket.on('message', (raw) => {
    const frame = JSON.parse(String(raw));
    frames.push(frame);
    for (const w of [...waiters]) if (w.match(frame)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(frame); }
  });
  const next = (match) => {
    const seen = frames.find(match);
    if (seen) { frames.splice(frames.indexOf(seen), 1); return Promise.resolve(seen); }
    return new Promise((resolve) => waiters.push({ match: (f) => match(f) && frames.splice(frames.indexOf(f), 1), resolve }));
  };
  const closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
  return { socket, next, closed, send: (f) => socket.send(JSON.stringify(f)) };
}

test('the Node backend lets the cookie in, answers app.add and streams app.tokens', async () => {
  const c = open('session=letmein');
  const welcome = await c.next((f) => f.type === 'welcome');
  assert.equal(welcome.user, 'cookie-user');
  c.send({ id: '1', type: 'app.add', data: { a: 2, b: 40 } });
  assert.deepEqual((await c.next((f) => f.re === '1')).data, { sum: 42 });
  c.send({ id: '2', type: 'app.tokens', data: {} });
  const words = [];
  for (;;) {
    const f = await c.next((x) => x.re === '2');
    if (f.type === 'end') break;
    words.push(f.data.text);
  }
  assert.deepEqual(words, ['Hello', 'from', 'Node']);
  c.socket.close();
});

test('the RPC hook\'s streamed answer is resumable without a change in the backend', async () => {
  const c = open('session=letmein');
  await c.next((f) => f.type === 'welcome');
  c.send({ id: '3', type: 'app.tokens', data: {}, resumable: true });
  const announced = await c.next((f) => f.re === '3' && f.type === 'stream');
  assert.match(announced.stream, /^replies\//);
  for (;;) {
    const f = await c.next((x) => x.re === '3');
    if (f.type === 'end') break;
  }
  c.socket.close();
  // the whole answer is in its stream, readable by the requester from the start
  const again = open('session=letmein');
  await again.next((f) => f.type === 'welcome');
  again.send({ id: 'r', type: 'resume', data: { stream: announced.stream } });
  const words = [];
  for (;;) {
    const f = await again.next((x) => x.re === 'r');
    if (f.type === 'end') break;
    words.push(f.data.text);
  }
  assert.deepEqual(words, ['Hello', 'from', 'Node']);
  again.socket.close();
});

test('without the cookie the Node backend refuses: forbidden, then close 4003', async () => {
  const c = open(null);
  const error = await c.next((f) => f.type === 'error');
  assert.equal(error.error.code, 'forbidden');
  assert.equal(await c.closed, 4003);
});
