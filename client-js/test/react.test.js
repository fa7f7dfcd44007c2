// The React hooks, rendered with react-test-renderer, against a real gateway.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from './support/schema.js'; // frames checked against the protocol schema
import { act, createElement } from 'react';
import TestRenderer from 'react-test-renderer';
import { useChannel, useStream, useSwitchboard, SwitchboardProvider } from '../dist/react.js';
import { Gateway } from './support/gateway.js';
import { clientFor, until } from './support/clients.js';

globalThis.IS_REACT_ACT_ENVIRONMENT = true;
// react-test-renderer 19 prints a deprecation notice; the hooks need a renderer and this one needs no DOM.
const originalError = console.error;
console.error = (...args) => {
  if (String(args[0]).includes('react-test-renderer is deprecated')) return;
  originalError(...args);
};

let gateway;
before(async () => {
  gateway = await Gateway.start();
});
after(async () => {
  await gateway?.stop();
});

/** Renders `hook` in a component; `latest()` is its last return value. */
async function renderHook(hook, wrap = (element) => element) {
  let value;
  function Probe() {
    value = hook();
    return null;
  }
  let renderer;
  await act(async () => {
    renderer = TestRenderer.create(wrap(createElement(Probe)));
  });
  return { latest: () => value, unmount: () => act(async () => renderer.unmount()) };
}

/** Polls inside act() so React flushes the updates the socket caused. */
async function eventually(condition, what) {
  await until(async () => {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    return condition();
  }, 5000, what);
}

test('useSwitchboard: owns a client, reports the connection state, closes on unmount', async () => {
  const { latest, unmount } = await renderHook(() =>
    useSwitchboard(gateway.url(), { WebSocket, getToken: () => gateway.token('hooked') }));
  await eventually(() => latest().state === 'connected', 'connected');
  assert.equal(latest().welcome.user, 'hooked');
  const client = latest().client;
  await unmount();
  assert.equal(client.state, 'disconnected');
});

test('useChannel: messages (with history), presence members and publish', async () => {
  const client = clientFor(gateway, 'reactor');
  await client.connect();
  await client.publish('chat:react', { text: 'earlier' });
  const other = clientFor(gateway, 'other');
  await other.connect();
  const { latest, unmount } = await renderHook(
    () => useChannel('chat:react', { history: 10 }),
    (element) => createElement(SwitchboardProvider, { client }, element),
  );
  await eventually(() => latest().subscribed && latest().messages.length === 1, 'history on subscribe');
  assert.equal(latest().messages[0].data.text, 'earlier');
  await eventually(() => latest().members.some((m) => m.user === 'reactor'), 'own presence');

  other.subscribe('chat:react');
  await eventually(() => latest().members.map((m) => m.user).join() === 'other,reactor', 'other joins');
  await act(async () => {
    await latest().publish({ text: 'from the hook' });
  });
  await other.publish('chat:react', { text: 'from other' });
  await eventually(() => latest().messages.length === 3, 'three messages');
  assert.deepEqual(latest().messages.map((m) => m.data.text), ['earlier', 'from the hook', 'from other']);
  await unmount();
  assert.equal(client.subscriptions.has('chat:react'), false);
  client.close();
  other.close();
});

test('useStream: chunks arrive, stop() cancels', async () => {
  const client = clientFor(gateway, 'streamhook');
  await client.connect();
  const { latest, unmount } = await renderHook(() => useStream({ client }));
  assert.equal(latest().status, 'idle');
  await act(async () => {
    latest().start('demo.stream', { prompt: 'a b c' });
  });
  await eventually(() => latest().status === 'complete', 'complete');
  assert.match(latest().chunks.map((c) => c.text).join(''), /a b c/);

  const long = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
  await act(async () => {
    latest().start('demo.stream', { prompt: long });
  });
  await eventually(() => latest().chunks.length >= 2, 'first chunks');
  await act(async () => latest().stop());
  await eventually(() => latest().status === 'cancelled', 'cancelled');
  assert.ok(latest().chunks.length < 20);
  await unmount();
  client.close();
});

test('useChannel: two components on one channel share the subscription; the last unmount unsubscribes', async () => {
  const client = clientFor(gateway, 'sharer');
  await client.connect();
  const wrap = (element) => createElement(SwitchboardProvider, { client }, element);
  const first = await renderHook(() => useChannel('chat:shared', { presence: false }), wrap);
  const second = await renderHook(() => useChannel('chat:shared', { presence: false }), wrap);
  await eventually(() => first.latest().subscribed && client.subscriptions.get('chat:shared')?.active, 'subscribed');
  const third = await renderHook(() => useChannel('chat:shared', { presence: false }), wrap);
  await eventually(() => third.latest().subscribed !== null, 'a late component sees the subscription as subscribed');
  await third.unmount();
  await first.unmount();
  assert.equal(client.subscriptions.has('chat:shared'), true);
  await client.publish('chat:shared', { text: 'still here' });
  await eventually(() => second.latest().messages.length === 1, 'message after the first unmount');
  await second.unmount();
  assert.equal(client.subscriptions.has('chat:shared'), false);
  client.close();
});
