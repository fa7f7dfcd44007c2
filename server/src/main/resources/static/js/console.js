// The raw console: connect to any endpoint, send any text frame, and see every frame both ways.
import { Switchboard } from '../sdk/index.js';
import { devToken, rememberedName, showStatus } from './common.js';

const $ = (id) => document.getElementById(id);
$('url').value = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
$('user').value = rememberedName();

let client = null;
let seq = 1;
const templates = {
  ping: () => ({ id: next(), type: 'ping' }),
  auth: () => ({ id: next(), type: 'auth', data: { token: '<paste a ticket>' } }),
  subscribe: () => ({ id: next(), type: 'subscribe', data: { channel: 'chat:lobby' } }),
  publish: () => ({ id: next(), type: 'publish', data: { channel: 'chat:lobby', data: { text: 'hi from the console' } } }),
  presence: () => ({ id: next(), type: 'presence', data: { channel: 'chat:lobby' } }),
  history: () => ({ id: next(), type: 'history', data: { channel: 'chat:lobby', limit: 10 } }),
  send: () => ({ id: next(), type: 'send', data: { user: $('user').value || 'alice', data: { text: 'psst' } } }),
  'demo.stream': () => ({ id: next(), type: 'demo.stream', data: { prompt: 'hello' } }),
  cancel: () => ({ type: 'cancel', data: { re: String(seq - 1) } }),
};
// Ids far from the SDK's own (it numbers from 1) so replies are never mistaken for its requests.
function next() {
  return `con-${seq++}`;
}
for (const name of Object.keys(templates)) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.textContent = name;
  button.addEventListener('click', () => ($('frame').value = JSON.stringify(templates[name]())));
  $('templates').append(button);
}

function log(kind, text) {
  const li = document.createElement('li');
  li.className = kind;
  const t = document.createElement('span');
  t.className = 't';
  t.textContent = new Date().toISOString().slice(11, 23);
  const d = document.createElement('span');
  d.className = 'd';
  d.textContent = `${kind === 'in' ? '⇐' : kind === 'out' ? '⇒' : '•'} ${text}`;
  li.append(t, d);
  const box = $('log');
  box.append(li);
  while (box.children.length > 500) box.firstChild.remove();
  box.parentElement.scrollTop = box.parentElement.scrollHeight;
  li.scrollIntoView({ block: 'nearest' });
}

function connected(isOpen) {
  $('connect').disabled = isOpen;
  $('disconnect').disabled = !isOpen;
  $('send').disabled = !isOpen;
}

$('connect-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const user = $('user').value.trim();
  client = new Switchboard($('url').value.trim(), {
    getToken: user ? () => devToken(user) : undefined,
    reconnect: $('reconnect').checked ? { minDelay: 500, maxDelay: 8000 } : false,
    connectTimeout: 0, // the user may authenticate by hand with a raw `auth` frame
    heartbeat: false, // keep the log to what the user does
  });
  const mine = client;
  showStatus(client, $('status'));
  client.on('frame', ({ direction, text }) => log(direction, text));
  client.on('connecting', ({ attempt }) => log('sys', `connecting to ${$('url').value} (attempt ${attempt})`));
  client.on('connected', (w) => log('sys', `welcome: user ${w.user} connection ${w.connection} node ${w.node}`));
  client.on('disconnected', ({ code, reason, willReconnect, delay }) => {
    log('sys', `closed ${code}${reason ? ' ' + reason : ''}${willReconnect ? `; reconnecting in ${delay} ms` : ''}`);
    if (!willReconnect && client === mine) connected(false);
  });
  client.connect().catch(() => {});
  connected(true);
});

$('disconnect').addEventListener('click', () => {
  client?.close();
  connected(false);
});

$('send-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!client?.sendRaw($('frame').value)) log('sys', 'not sent: the socket is not open');
});

$('clear').addEventListener('click', () => $('log').replaceChildren());

window.switchboardDemo = { get client() { return client; } };
