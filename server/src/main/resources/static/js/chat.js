// The chat demo: rooms (channels chat:<room>) with presence and history, direct messages to a user
// (every tab of theirs gets it), and recovery of missed messages after a reconnect.
import { clientFor, clock, devToken, rememberName, rememberedName, showStatus } from './common.js';

const $ = (id) => document.getElementById(id);
const DIRECT = '@direct';
const KEEP = 200; // messages kept per view

let client = null;
let me = '';
let current = 'lobby';
let lastRoom = 'lobby'; // whose presence list the direct view shows
const rooms = new Map(); // room → {sub, messages: Map('epoch:offset' → message), notes, epochs, members, unread}
const direct = { messages: [], unread: 0 };

$('name').value = new URLSearchParams(location.search).get('user') || rememberedName();

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('name').value.trim();
  try {
    await devToken(name); // fail here, with a readable message, rather than in a reconnect loop
  } catch (err) {
    $('login-error').textContent = err.message;
    $('login-error').hidden = false;
    return;
  }
  start(name);
});

function start(name) {
  me = name;
  rememberName(name);
  document.title = `${name} · Switchboard chat`;
  client = clientFor(name);
  showStatus(client, $('status'));
  client.on('message', (message) => {
    if (message.channel) return; // room messages arrive through their subscription
    direct.messages.push(message);
    if (direct.messages.length > KEEP) direct.messages.shift();
    if (current !== DIRECT) direct.unread += 1;
    render();
  });
  let online = false;
  client.on('connected', () => (online = true));
  client.on('disconnected', ({ willReconnect }) => {
    // One note per outage, not one per failed attempt while the server is down.
    if (online && willReconnect) noteAll('Connection lost; reconnecting…');
    online = false;
  });
  client.connect().catch(() => {});
  $('login').hidden = true;
  $('chat').hidden = false;
  $('curl').textContent = curlCommand(name);
  const room = new URLSearchParams(location.search).get('room');
  join('lobby');
  if (room && room !== 'lobby') join(room);
  select(room || 'lobby');
}

function join(room) {
  if (rooms.has(room)) return;
  const channel = `chat:${room}`;
  const state = { sub: client.subscribe(channel, { presence: true }), messages: new Map(), notes: [], epochs: [], members: [], unread: 0 };
  rooms.set(room, state);
  state.sub.on('message', (message) => {
    add(state, message);
    if (current !== room) state.unread += 1;
    render();
  });
  state.sub.on('members', (members) => {
    state.members = members;
    render();
  });
  state.sub.on('subscribed', (event) => {
    if (!event.resubscribed) {
      loadHistory(room, state);
    } else if (event.recovered === false) {
      note(state, 'Reconnected, but some messages could not be recovered; reloading history.');
      loadHistory(room, state);
    } else {
      note(state, event.replayed
        ? `Reconnected · recovered ${event.replayed} missed message${event.replayed === 1 ? '' : 's'}`
        : 'Reconnected · nothing was missed');
    }
    render();
  });
  state.sub.on('error', (err) => {
    note(state, `${channel}: ${err.code} ${err.message}`);
    render();
  });
  render();
}

async function loadHistory(room, state) {
  try {
    const page = await client.history(`chat:${room}`, { limit: 50, reverse: true }); // the newest 50
    for (const publication of page.publications || []) add(state, { type: 'message', channel: `chat:${room}`, ...publication });
    render();
  } catch (err) {
    // Servers without history answer unknown_type/not_found: the room then starts empty.
    console.info(`history of chat:${room} unavailable: ${err.code}`);
  }
}

// Offsets restart when a channel's history epoch changes (e.g. a restarted single node): order messages
// by (epoch in the order this page saw them, offset), and notes after everything shown when they appeared.
function sortKey(state, message) {
  let era = state.epochs.indexOf(message.epoch);
  if (era < 0) era = state.epochs.push(message.epoch) - 1;
  return era * 1e12 + message.offset;
}

function add(state, message) {
  state.messages.set(`${message.epoch}:${message.offset}`, { ...message, key: sortKey(state, message) });
  if (state.messages.size > KEEP) state.messages.delete(state.messages.keys().next().value);
}

function note(state, text) {
  state.notes.push({ note: text, ts: Date.now(), key: lastKey(state) + 0.5 });
  if (state.notes.length > 20) state.notes.shift();
}

function noteAll(text) {
  for (const state of rooms.values()) note(state, text);
  render();
}

function lastKey(state) {
  let last = -1;
  for (const message of state.messages.values()) last = Math.max(last, message.key);
  for (const item of state.notes) last = Math.max(last, item.key);
  return last;
}

function select(view) {
  current = view;
  if (view === DIRECT) direct.unread = 0;
  else {
    rooms.get(view).unread = 0;
    lastRoom = view;
  }
  render();
  $('text').focus();
}

function leave(room) {
  const state = rooms.get(room);
  if (!state || room === 'lobby') return;
  state.sub.unsubscribe();
  rooms.delete(room);
  select('lobby');
}

// ---- rendering (small lists: re-render the visible parts on every change) ----

function render() {
  renderRooms();
  const isDirect = current === DIRECT;
  const state = rooms.get(current);
  $('view-title').textContent = isDirect ? '@ Direct messages' : `# ${current}`;
  $('view-note').textContent = isDirect ? 'to one user, on all their tabs' : `channel chat:${current}`;
  $('to').hidden = !isDirect;
  $('to').required = isDirect;
  $('leave').hidden = isDirect || current === 'lobby';
  renderMembers((state || rooms.get(lastRoom) || rooms.get('lobby'))?.members || []);
  const box = $('messages');
  const stick = box.scrollTop + box.clientHeight >= box.scrollHeight - 40;
  box.replaceChildren(...(isDirect ? directItems() : roomItems(state)));
  if (stick) box.scrollTop = box.scrollHeight;
}

function renderRooms() {
  const items = [...rooms.keys()].map((room) => roomButton(room, `# ${room}`, rooms.get(room).unread));
  items.push(roomButton(DIRECT, '@ Direct', direct.unread));
  $('rooms').replaceChildren(...items);
}

function roomButton(view, label, unread) {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.view = view;
  button.setAttribute('aria-current', String(view === current));
  button.append(label);
  if (unread) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = unread;
    button.append(badge);
  }
  button.addEventListener('click', () => select(view));
  li.append(button);
  return li;
}

function renderMembers(members) {
  $('member-count').textContent = members.length ? `(${members.length})` : '';
  $('members').replaceChildren(...members.map(({ user, connections }) => {
    const li = document.createElement('li');
    li.dataset.user = user;
    li.title = `${connections} connection${connections === 1 ? '' : 's'}`;
    li.append(user);
    if (user === me) {
      const you = document.createElement('span');
      you.className = 'you';
      you.textContent = '(you)';
      li.append(you);
    }
    li.addEventListener('click', () => {
      $('to').value = user;
      select(DIRECT);
    });
    return li;
  }));
}

function roomItems(state) {
  return [...state.messages.values(), ...state.notes]
    .sort((a, b) => a.key - b.key)
    .map((item) => (item.note ? noteItem(item) : messageItem(item, item.from === me ? 'mine' : '')));
}

function directItems() {
  if (!direct.messages.length) return [noteItem({ note: 'No direct messages yet. Click a name under “Here now”, or try the curl command.' })];
  return direct.messages.map((message) => messageItem(message, message.outgoing ? 'mine dm' : 'dm'));
}

function messageItem(message, cls) {
  const div = document.createElement('div');
  div.className = `msg ${cls}`.trim();
  if (message.offset !== undefined) div.dataset.offset = message.offset;
  const meta = document.createElement('span');
  meta.className = 'meta';
  const who = message.outgoing ? `you → ${message.to}` : (message.from ?? 'server');
  meta.textContent = `${who} · ${clock(message.ts)}`;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = textOf(message.data);
  div.append(meta, text);
  return div;
}

function noteItem({ note: text }) {
  const div = document.createElement('div');
  div.className = 'msg system';
  div.textContent = text;
  return div;
}

function textOf(data) {
  if (data && typeof data === 'object') return data.text ?? data.content ?? JSON.stringify(data);
  return String(data ?? '');
}

// ---- actions ----

$('compose').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  try {
    if (current === DIRECT) {
      const to = $('to').value.trim();
      await client.send(to, { text });
      // Our own tabs see it only when we write to ourselves; otherwise show the sent copy here.
      if (to !== me) {
        direct.messages.push({ outgoing: true, to, ts: Date.now(), data: { text } });
        render();
      }
    } else {
      await client.publish(`chat:${current}`, { text });
    }
  } catch (err) {
    const state = rooms.get(current);
    if (state) note(state, `Not sent (${err.code}): ${text}`);
    else direct.messages.push({ from: 'system', ts: Date.now(), data: { text: `Not sent (${err.code})` } });
    render();
  }
});

$('new-room').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = $('room-name').value.trim().toLowerCase();
  $('room-name').value = '';
  join(room);
  select(room);
});

$('leave').addEventListener('click', () => leave(current));

$('copy-curl').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('curl').textContent);
    $('copy-curl').textContent = 'Copied';
  } catch {
    $('copy-curl').textContent = 'Select and copy';
  }
  setTimeout(() => ($('copy-curl').textContent = 'Copy'), 1500);
});

function curlCommand(user) {
  const body = JSON.stringify({ user, data: { text: 'Hello from a backend' } });
  return `curl -X POST ${location.origin}/api/send \\\n  -H 'Authorization: Bearer dev-api-key' \\\n  -H 'Content-Type: application/json' \\\n  -d '${body}'`;
}

// Exposed for the browser tests and for poking around in DevTools.
window.switchboardDemo = { get client() { return client; }, rooms, direct };
