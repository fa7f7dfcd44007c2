// Helpers for tests that talk to a real gateway with the SDK over the `ws` package (frames checked against
// the protocol schema).
import { WebSocket } from './schema.js';
import { Switchboard } from '../../dist/index.js';

/** A client for `user` that fetches a fresh dev ticket per attempt (counted in `client.tokenCalls`). */
export function clientFor(gateway, user, options = {}) {
  const client = new Switchboard(options.url || gateway.url(), {
    WebSocket,
    getToken: async () => {
      client.tokenCalls += 1;
      return gateway.token(user);
    },
    reconnect: { minDelay: 100, maxDelay: 400 },
    ...options,
  });
  client.tokenCalls = 0;
  return client;
}

/** Resolves with the next `event` value that satisfies `predicate`, or rejects after `timeout` ms. */
export function nextEvent(emitter, event, predicate = () => true, timeout = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within ${timeout} ms`));
    }, timeout);
    const off = emitter.on(event, (value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** Collects every value of `event` into an array. */
export function record(emitter, event) {
  const values = [];
  emitter.on(event, (value) => values.push(value));
  return values;
}

export { until } from './fake-socket.js';
