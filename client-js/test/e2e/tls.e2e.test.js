// TLS on the gateway's own port with real clients that verify its certificate against a test CA: Node's https
// and WebSocket (the `ws` package, under the SDK), and headless Chromium trusting the CA through its NSS
// database (not told to ignore certificate errors); a renewed certificate reaches new connections without a
// restart; a client that does not trust the CA is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { WebSocket } from '../support/schema.js'; // frames checked against the protocol schema
import { Switchboard } from '../../dist/index.js';
import { CHROMIUM } from '../support/browser.js';
import { Gateway } from '../support/gateway.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'sb-tls-'));
const certs = (kind, name) => execFileSync('bash', [path.join(root, 'scripts/test-certs.sh'), dir, kind, name]);
let gateway;
let ca;
const live = { cert: path.join(dir, 'live.pem'), key: path.join(dir, 'live.key') };

before(async () => {
  certs('rsa', 'server');
  copyFileSync(path.join(dir, 'server.pem'), live.cert);
  copyFileSync(path.join(dir, 'server.key'), live.key);
  ca = readFileSync(path.join(dir, 'ca.pem'));
  gateway = await Gateway.start(['--tls-cert', live.cert, '--tls-key', live.key, '--tls-reload-interval', '200ms']);
});

after(async () => {
  await gateway?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function get(url, options = {}) {
  return new Promise((resolve, reject) => {
    https.get(url, { ca, ...options }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
}

/** The serial number of the certificate a new TLS connection is served. */
function servedSerial() {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: gateway.port, ca, servername: 'localhost' }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.end();
    });
    socket.on('error', reject);
  });
}

const leafSerial = (name) => execFileSync('openssl', ['x509', '-in', path.join(dir, `${name}.leaf.pem`), '-noout', '-serial'])
  .toString().trim().replace('serial=', '').toUpperCase();

test('Node: https and the SDK over wss:// verify the gateway against the CA', async () => {
  const health = await get(`${gateway.http}/healthz`);
  assert.equal(health.status, 200);
  const ticket = JSON.parse((await get(`${gateway.http}/auth/token?user=node`)).body).token;
  class TrustingWebSocket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { ca });
    }
  }
  const client = new Switchboard(gateway.url(), { WebSocket: TrustingWebSocket, token: ticket, reconnect: false });
  try {
    await client.connect();
    const sub = client.subscribe('news:tls');
    const got = new Promise((resolve) => sub.on('message', resolve));
    await new Promise((resolve) => sub.once('subscribed', resolve));
    await client.publish('news:tls', { over: 'wss' });
    assert.deepEqual((await got).data, { over: 'wss' });
  } finally {
    client.close();
  }
  await assert.rejects(get(`${gateway.http}/healthz`, { ca: undefined }), /self[- ]signed|unable to verify|certificate/i,
    'a client that does not trust the CA is refused');
});

test('a renewed certificate is served to new connections, without a restart', async () => {
  assert.equal(await servedSerial(), leafSerial('server'));
  certs('ec', 'renewed');
  copyFileSync(path.join(dir, 'renewed.key'), live.key);
  copyFileSync(path.join(dir, 'renewed.pem'), live.cert);
  const expected = leafSerial('renewed');
  const deadline = Date.now() + 10000;
  let served;
  while (Date.now() < deadline && (served = await servedSerial().catch(() => null)) !== expected) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(served, expected);
});

test('Chromium trusting the CA (its NSS database) loads the page and talks over wss://; without it, refused', async () => {
  const home = path.join(dir, 'home');
  const nss = path.join(home, '.pki', 'nssdb');
  mkdirSync(nss, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'switchboard-test-ca', '-t', 'C,,', '-i', path.join(dir, 'ca.pem')]);
  const flags = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
  const trusting = await chromium.launch({ executablePath: CHROMIUM, args: flags, env: { ...process.env, HOME: home } });
  try {
    const page = await (await trusting.newContext()).newPage();
    const response = await page.goto(`https://localhost:${gateway.port}/`);
    assert.equal(response.status(), 200);
    const result = await page.evaluate(async () => {
      const { Switchboard: Client } = await import('/sdk/index.js');
      const token = (await (await fetch('/auth/token?user=browser')).json()).token;
      const client = new Client('/ws', { token, reconnect: false });
      await client.connect();
      const pong = await client.ping();
      const url = client.welcome && location.protocol;
      client.close();
      return { ts: pong.ts, url };
    });
    assert.ok(result.ts > 0);
    assert.equal(result.url, 'https:');
  } finally {
    await trusting.close();
  }
  const untrusting = await chromium.launch({ executablePath: CHROMIUM, args: flags,
    env: { ...process.env, HOME: path.join(dir, 'empty-home') } });
  try {
    const page = await (await untrusting.newContext()).newPage();
    await assert.rejects(page.goto(`https://localhost:${gateway.port}/`), /ERR_CERT_AUTHORITY_INVALID|ERR_CERT/);
  } finally {
    await untrusting.close();
  }
});
