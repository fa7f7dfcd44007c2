// Ticket expiry against a real gateway with 2-second tickets: the SDK renews the ticket in place, so the
// connection outlives many tickets without a reconnect; a client that cannot renew is closed with 4005.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from './support/schema.js'; // frames checked against the protocol schema
import { Switchboard } from '../dist/index.js';
import { Gateway } from './support/gateway.js';
import { clientFor, nextEvent, record } from './support/clients.js';

let gateway;
const clients = [];

before(async () => {
  gateway = await Gateway.start(['--ticket-ttl', '2s', '--refresh-grace', '1500ms']);
});

after(async () => {
  for (const client of clients) client.close();
  await gateway?.stop();
});

describe('ticket refresh', () => {
  test('the connection lives past several tickets without reconnecting, and still receives', async () => {
    const client = clientFor(gateway, 'alice');
    clients.push(client);
    const disconnects = record(client, 'disconnected');
    const welcome = await client.connect();
    assert.ok(welcome.expiresAt > Date.now(), 'welcome tells when the ticket ends');
    const sub = client.subscribe('news');
    await nextEvent(sub, 'subscribed');
    for (let i = 0; i < 3; i++) await nextEvent(client, 'refreshed', () => true, 8000);
    assert.ok(Date.now() > welcome.expiresAt + 1500, 'outlived the first ticket and its grace');
    assert.deepEqual(disconnects, []);
    const got = nextEvent(sub, 'message');
    await fetch(`${gateway.http}/api/publish`, {
      method: 'POST',
      headers: { Authorization: 'Bearer dev-api-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: 'news', data: { n: 1 } }),
    });
    assert.deepEqual((await got).data, { n: 1 });
  });

  test('a fixed token cannot be renewed: the gateway closes with 4005 after the grace period', async () => {
    const client = new Switchboard(gateway.url(), { WebSocket, token: await gateway.token('bob'), reconnect: false });
    clients.push(client);
    await client.connect();
    const closed = await nextEvent(client, 'disconnected', () => true, 8000);
    assert.equal(closed.code, 4005);
  });
});
