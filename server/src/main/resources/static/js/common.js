// Shared by the demo pages: dev tickets, one client per page, the connection status pill.
import { Switchboard } from '../sdk/index.js';

/** Fetches a dev-mode ticket (the server must run with --dev). */
export async function devToken(user) {
  const response = await fetch(`/auth/token?user=${encodeURIComponent(user)}`);
  if (!response.ok) throw new Error(`/auth/token answered HTTP ${response.status} (is the server in --dev mode?)`);
  return (await response.json()).token;
}

/** A client for `user` on this page's origin that fetches a fresh ticket on every (re)connect. */
export function clientFor(user, options = {}) {
  // Messages written while offline wait up to 30 s for the connection to come back before they fail.
  // ?transport=sse forces the Server-Sent Events fallback (default: auto, WebSocket first).
  const transport = new URLSearchParams(globalThis.location?.search || '').get('transport') || 'auto';
  return new Switchboard('/ws', {
    getToken: () => devToken(user),
    transport,
    reconnect: { minDelay: 300, maxDelay: 5000 },
    requestTimeout: 30000,
    ...options,
  });
}

/** Keeps the header's status pill in sync with the client, including the reconnect countdown. */
export function showStatus(client, element) {
  let timer = null;
  const render = (text, state) => {
    element.dataset.state = state;
    element.textContent = text;
  };
  client.on('connected', (welcome) => {
    clearInterval(timer);
    const via = client.transport === 'sse' ? ' · via SSE' : '';
    render(`connected as ${welcome.user ?? 'anonymous'} · node ${welcome.node}${via}`, 'connected');
  });
  client.on('connecting', ({ attempt }) => {
    clearInterval(timer);
    render(attempt > 1 ? `connecting (attempt ${attempt})…` : 'connecting…', 'connecting');
  });
  client.on('disconnected', ({ code, reason, willReconnect, delay }) => {
    clearInterval(timer);
    const why = `${code}${reason ? ' ' + reason : ''}`;
    if (!willReconnect) return render(`disconnected (${why})`, 'disconnected');
    const at = Date.now() + delay;
    const tick = () => render(`offline (${why}) · retry in ${Math.max(0, (at - Date.now()) / 1000).toFixed(1)} s`, 'connecting');
    tick();
    timer = setInterval(tick, 200);
  });
}

/** A short clock time for message metadata. */
export function clock(ts) {
  return new Date(ts || Date.now()).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The name remembered by this browser (shared by all tabs), or ''. */
export function rememberedName() {
  return localStorage.getItem('switchboard.demo.user') || '';
}

export function rememberName(name) {
  localStorage.setItem('switchboard.demo.user', name);
}
