// The Pusher protocol across a cluster: three gateways on one redis-server, pusher-js clients on different
// nodes. A trigger on any node reaches subscribers on every node; presence counts and member events are
// cluster-wide (member_added once per user); the channel API on one node sees the others' subscriptions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Gateway } from './support/gateway.js';
import { startRedis } from './support/redis.js';
import { until } from './support/clients.js';
import { clientFor, next, pusherArgs, serverFor, subscribed, webhookReceiver } from './support/pusher.js';

let redis;
let webhooks;
const nodes = [];
const clients = [];

before(async () => {
  redis = await startRedis();
  assert.ok(redis, 'redis-server is needed (scripts/install-deps.sh installs it)');
  webhooks = await webhookReceiver();
  const args = ['--engine', 'redis', '--redis', redis.url, '--token-secret', 'pusher-cluster-secret-pusher-cluster!',
    '--presence-ttl', '3s', ...pusherArgs(webhooks.url)];
  for (let i = 0; i < 3; i++) nodes.push(await Gateway.start([...args, '--node-id', `p${i}`]));
});

after(async () => {
  clients.forEach((c) => c.disconnect());
  await Promise.all(nodes.map((n) => n.kill()));
  await redis?.stop();
  webhooks?.close();
});

function client(node, user) {
  const c = clientFor(node, { user, server: serverFor(node) });
  clients.push(c);
  return c;
}

test('a trigger on one node reaches pusher-js subscribers on every node', async () => {
  const channels = await Promise.all(nodes.map((n, i) => subscribed(client(n, { user_id: `s${i}`, user_info: {} }), 'ticker')));
  const got = channels.map((c) => next(c, 'tick'));
  await serverFor(nodes[1]).trigger('ticker', 'tick', { price: 42 });
  assert.deepEqual(await Promise.all(got), [{ price: 42 }, { price: 42 }, { price: 42 }]);
});

test('presence and the channel API are cluster-wide; member_added is told once', async () => {
  const a = await subscribed(client(nodes[0], { user_id: 'ann', user_info: { n: 'Ann' } }), 'presence-cluster');
  const added = [];
  a.bind('pusher:member_added', (m) => added.push(m.id));
  const b = await subscribed(client(nodes[1], { user_id: 'bea', user_info: { n: 'Bea' } }), 'presence-cluster');
  await subscribed(client(nodes[2], { user_id: 'bea', user_info: { n: 'Bea' } }), 'presence-cluster'); // Bea's 2nd tab
  assert.equal(b.members.count, 2);
  await until(() => added.includes('bea'), 3000, 'member_added reached node 0');
  const viaThird = await (await serverFor(nodes[2]).get({ path: '/channels/presence-cluster',
    params: { info: 'user_count,subscription_count' } })).json();
  assert.deepEqual(viaThird, { occupied: true, user_count: 2, subscription_count: 3 });
  const webhookAdds = () => webhooks.calls.flatMap((c) => JSON.parse(c.body).events)
    .filter((e) => e.channel === 'presence-cluster' && e.name === 'member_added');
  await until(() => webhookAdds().length === 2, 5000, 'two member_added webhooks');
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(webhookAdds().map((e) => e.user_id).sort(), ['ann', 'bea'], 'once per user, across the cluster');
  assert.deepEqual(added, ['bea']);
});

test('a node that dies takes its members out of presence within the presence TTL', async () => {
  const watcher = await subscribed(client(nodes[0], { user_id: 'watch', user_info: {} }), 'presence-crash');
  await subscribed(client(nodes[2], { user_id: 'doomed', user_info: {} }), 'presence-crash');
  // node 2's member_added crosses Redis to node 0: wait for it rather than race it
  await until(() => watcher.members.count === 2, 5000, 'the watcher sees the doomed member');
  const removed = next(watcher, 'pusher:member_removed', 15000);
  await nodes[2].kill();
  assert.equal((await removed).id, 'doomed');
});
