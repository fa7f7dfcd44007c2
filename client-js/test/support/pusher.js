// Pusher-protocol test helpers: the real pusher-js client (Node build) and the official `pusher` server SDK,
// pointed at a Switchboard gateway started with --pusher-app.
import Pusher from 'pusher-js';
import PusherServer from 'pusher';
import http from 'node:http';

export const APP = { id: '42', key: 'app-key', secret: 'app-secret-42' };
export const OTHER_APP = { id: '43', key: 'other-key', secret: 'other-secret-43' };

/** The gateway options that serve both test apps (client events on, webhooks to `webhookUrl` if given). */
export function pusherArgs(webhookUrl) {
  const args = ['--pusher-app', `${APP.id}:${APP.key}:${APP.secret}`, '--pusher-app',
    `${OTHER_APP.id}:${OTHER_APP.key}:${OTHER_APP.secret}`, '--pusher-client-events'];
  if (webhookUrl) args.push('--pusher-webhook-url', webhookUrl);
  return args;
}

/** The official server SDK for `app` on `gateway`. */
export function serverFor(gateway, app = APP) {
  return new PusherServer({ appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1',
    port: String(gateway.port), useTLS: false });
}

/**
 * A pusher-js client for `app` on `gateway` (WebSocket only, no stats), authorizing channels and signing in with
 * the server SDK as a backend would; `user` is its presence member and signed-in user.
 */
export function clientFor(gateway, { app = APP, user = { user_id: 'u1', user_info: { name: 'One' } }, server } = {}) {
  const backend = server || serverFor(gateway, app);
  return new Pusher(app.key, {
    wsHost: '127.0.0.1',
    wsPort: gateway.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    cluster: 'local',
    channelAuthorization: {
      customHandler: (params, callback) => callback(null, backend.authorizeChannel(params.socketId, params.channelName,
        params.channelName.startsWith('presence-') ? user : undefined)),
    },
    userAuthentication: {
      customHandler: (params, callback) => callback(null, backend.authenticateUser(params.socketId,
        { id: user.user_id, name: user.user_info?.name })),
    },
  });
}

/** Resolves when `pusher` is connected (its socket id known). */
export function connected(pusher, timeout = 5000) {
  return new Promise((resolve, reject) => {
    if (pusher.connection.state === 'connected') return resolve(pusher.connection.socket_id);
    const timer = setTimeout(() => reject(new Error(`not connected within ${timeout} ms (${pusher.connection.state})`)), timeout);
    pusher.connection.bind('connected', () => {
      clearTimeout(timer);
      resolve(pusher.connection.socket_id);
    });
  });
}

/** Resolves with the next `event` on `channel` (a pusher-js Channel), or rejects after `timeout` ms. */
export function next(channel, event, timeout = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      channel.unbind(event, handler);
      reject(new Error(`no ${event} on ${channel.name} within ${timeout} ms`));
    }, timeout);
    const handler = (data) => {
      clearTimeout(timer);
      channel.unbind(event, handler);
      resolve(data);
    };
    channel.bind(event, handler);
  });
}

/** Subscribes and waits for pusher:subscription_succeeded (rejects on pusher:subscription_error). */
export async function subscribed(pusher, name, timeout = 5000) {
  const channel = pusher.subscribe(name);
  const ok = next(channel, 'pusher:subscription_succeeded', timeout);
  const failed = next(channel, 'pusher:subscription_error', timeout).then((e) => {
    throw Object.assign(new Error(`subscription_error on ${name}: ${JSON.stringify(e)}`), { status: e.status });
  });
  await Promise.race([ok, failed]);
  return channel;
}

/** An HTTP server collecting the webhooks it receives: {url, calls: [{headers, body}], close()}. */
export async function webhookReceiver() {
  const calls = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    calls.push({ headers: req.headers, body });
    res.end('ok');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/pusher`, calls, close: () => server.close() };
}
