// The admin page: plain ES module, no build step. It polls the admin API (/admin/api/*) and sends the CSRF
// token it got at login on every action; the session itself is an HttpOnly cookie it never sees.
const $ = (id) => document.getElementById(id);
const HISTORY = 60; // points per sparkline (one per second)
let csrf = null;
let timer = null;
let previous = null; // last overview, for per-second rates
let selectedChannel = null;
let shownUser = null; // the user whose connections are shown
const series = { connections: [], in: [], out: [] };

async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrf) headers['X-Admin-CSRF'] = csrf;
  }
  const response = await fetch(`/admin/api/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const json = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== 'login') showLogin();
  if (!response.ok) throw new Error(json.error?.message || `HTTP ${response.status}`);
  return json;
}

function showLogin() {
  clearInterval(timer);
  timer = null;
  csrf = null;
  $('dash').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('node').dataset.state = 'disconnected';
  $('node').textContent = 'not logged in';
}

function showDash(node) {
  $('login').hidden = true;
  $('dash').hidden = false;
  $('logout').hidden = false;
  $('node').dataset.state = 'connected';
  $('node').textContent = `node ${node}`;
  refresh();
  timer = setInterval(refresh, 1000);
}

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value;
  if (cls) el.className = cls;
  return el;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) tr.append(c instanceof Node ? wrap(c) : text('td', String(c), typeof c === 'number' ? 'num' : ''));
  return tr;
}

function wrap(node) {
  const td = document.createElement('td');
  td.append(node);
  return td;
}

function spark(id, values) {
  const max = Math.max(1, ...values);
  const step = 120 / Math.max(1, HISTORY - 1);
  const start = HISTORY - values.length;
  const points = values.map((v, i) => `${((start + i) * step).toFixed(1)},${(29 - (v / max) * 28).toFixed(1)}`).join(' ');
  $(id).querySelector('polyline').setAttribute('points', points);
}

function push(name, value) {
  series[name].push(value);
  if (series[name].length > HISTORY) series[name].shift();
}

async function refresh() {
  try {
    const o = await api('overview');
    const seconds = previous ? Math.max(0.001, (o.time - previous.time) / 1000) : 1;
    const inRate = previous ? Math.max(0, (o.messagesIn - previous.messagesIn) / seconds) : 0;
    const outRate = previous ? Math.max(0, (o.messagesOut - previous.messagesOut) / seconds) : 0;
    previous = o;
    $('t-connections').textContent = o.connections;
    $('t-users').textContent = o.users;
    $('t-channels').textContent = o.channels;
    $('t-in').textContent = inRate.toFixed(inRate < 10 ? 1 : 0);
    $('t-out').textContent = outRate.toFixed(outRate < 10 ? 1 : 0);
    push('connections', o.connections);
    push('in', inRate);
    push('out', outRate);
    spark('c-connections', series.connections);
    spark('c-in', series.in);
    spark('c-out', series.out);
    $('nodes').replaceChildren(...o.nodes.map((n) => row([n.node + (n.self ? ' (this)' : ''), n.connections, n.users,
      new Date(n.updatedAt).toLocaleTimeString()])));
    await refreshNamespaces();
    const ns = $('namespace').value;
    const ch = await api(ns ? `channels?namespace=${encodeURIComponent(ns)}` : 'channels');
    $('channels').replaceChildren(...ch.channels.map((c) => {
      const tr = row([c.channel, c.subscribers]);
      tr.className = 'pick';
      tr.dataset.channel = c.channel;
      tr.setAttribute('aria-selected', String(c.channel === selectedChannel));
      tr.onclick = () => showChannel(c.channel);
      return tr;
    }));
    if (selectedChannel) await showChannel(selectedChannel, true);
    // The user's table is not re-polled: its buttons must stay put under the pointer; Show refreshes it.
  } catch (err) {
    console.warn('admin refresh failed', err.message);
  }
}

// Namespaces as options, the chosen one kept: a Pusher app's channels are the namespace pusher.ID.
async function refreshNamespaces() {
  const select = $('namespace');
  const chosen = select.value;
  const namespaces = (await api('namespaces')).namespaces.filter((n) => n.namespace !== '');
  const labels = namespaces.map((n) => [n.namespace, `${n.namespace.startsWith('pusher.')
    ? `${n.namespace} (Pusher app ${n.namespace.slice('pusher.'.length)})` : n.namespace}: ${n.channels}`]);
  if (chosen && !namespaces.some((n) => n.namespace === chosen)) labels.push([chosen, `${chosen}: 0`]);
  const key = JSON.stringify(labels);
  if (select.dataset.key === key) return; // rebuilding an open list every second would close it
  select.dataset.key = key;
  select.replaceChildren(new Option('all', ''), ...labels.map(([value, label]) => new Option(label, value)));
  select.value = chosen;
}

async function showChannel(channel, quiet) {
  selectedChannel = channel;
  const c = await api(`channels/${encodeURIComponent(channel)}`);
  $('channel-name').textContent = `${channel} · ${c.subscribers} here`;
  $('channel-hint').hidden = true;
  $('presence').replaceChildren(...(c.presence === null ? [text('li', 'no presence on this channel', 'muted')]
    : c.presence.map((p) => text('li', `${p.user} (${p.connections})`))));
  $('history').replaceChildren(...c.history.publications.map((p) =>
    text('li', `#${p.offset} ${new Date(p.ts).toLocaleTimeString()} ${p.from ?? ''}: ${JSON.stringify(p.data)}`)));
  if (!quiet) refresh();
}

/**
 * A disconnect answers once the close is sent; the connection leaves the node when its close handshake ends,
 * so the user's table is re-read until `gone(connections)` holds (for at most 5 s) rather than right away.
 * Resolves with the last answer, which the caller renders.
 */
async function untilGone(user, gone) {
  let u;
  for (let i = 0; i < 20; i++) {
    u = await api(`users/${encodeURIComponent(user)}`);
    if (gone(u.connections)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return u;
}

async function showUser(user) {
  renderUser(user, await api(`users/${encodeURIComponent(user)}`));
}

/** Fills the user's table from `u` (the users/{user} answer), one Disconnect button per connection. */
function renderUser(user, u) {
  shownUser = user;
  $('user-connections').replaceChildren(...u.connections.map((c) => {
    const kick = text('button', 'Disconnect', 'danger');
    kick.dataset.connection = c.id;
    kick.onclick = async () => {
      await api('disconnect', { method: 'POST', body: { connection: c.id, reason: 'disconnected by an admin' } });
      renderUser(user, await untilGone(user, (left) => !left.some((x) => x.id === c.id)));
    };
    return row([c.id, c.transport, c.remote, new Date(c.connectedAt).toLocaleTimeString(), `${c.framesIn}/${c.framesOut}`, kick]);
  }));
  $('disconnect-user').hidden = u.connections.length === 0;
  if (u.connections.length === 0) $('user-connections').replaceChildren(row([`no connection of ${user} on this node`]));
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  try {
    const r = await api('login', { method: 'POST', body: { password: $('password').value } });
    csrf = r.csrf;
    $('password').value = '';
    const s = await api('session');
    showDash(s.node);
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});

$('logout').addEventListener('click', async () => {
  await api('logout', { method: 'POST' }).catch(() => {});
  showLogin();
});

$('namespace').addEventListener('change', () => refresh());

$('user-form').addEventListener('submit', (e) => {
  e.preventDefault();
  showUser($('user-input').value.trim()).catch((err) => console.warn(err.message));
});

$('disconnect-user').addEventListener('click', async () => {
  if (!shownUser) return;
  const user = shownUser;
  await api('disconnect', { method: 'POST', body: { user, reason: 'disconnected by an admin' } });
  renderUser(user, await untilGone(user, (left) => left.length === 0));
});

$('publish-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  let data;
  try {
    data = JSON.parse($('pub-data').value);
  } catch {
    data = $('pub-data').value; // not JSON: sent as a string
  }
  try {
    const r = await api('publish', { method: 'POST', body: { channel: $('pub-channel').value.trim(), data } });
    $('pub-result').textContent = `published at offset ${r.offset}`;
  } catch (err) {
    $('pub-result').textContent = err.message;
  }
});

const session = await fetch('/admin/api/session', { credentials: 'same-origin' }).then((r) => r.json()).catch(() => null);
if (session?.loggedIn) {
  csrf = session.csrf;
  showDash(session.node);
} else {
  showLogin();
}
