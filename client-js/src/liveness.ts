import { SwitchboardError } from './errors.js';
import { OPEN } from './transport.js';
import type { Emitter } from './emitter.js';
import type { SwitchboardEvents, WebSocketLike, Welcome } from './types.js';

/** `{interval, timeout}` in ms, or false (off). */
export type HeartbeatSettings = { interval: number; timeout: number } | false | undefined;

/**
 * Browsers cannot see WebSocket ping frames: an application-level ping is the only way for a page to notice
 * a half-open connection (laptop lid closed, NAT entry expired) and reconnect. It is the bare text frame
 * `ping`, which the gateway answers at once with `pong`, ahead of queued work: a JSON `ping` would wait
 * behind a long streamed reply and make a busy connection look dead.
 */
export class Heartbeat {
  #settings: HeartbeatSettings;
  #timer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;

  /** @param settings `{interval, timeout}` in ms; a missing or non-positive interval turns it off */
  constructor(settings: HeartbeatSettings) {
    this.#settings = settings;
  }

  /** Pings `socket` every interval; `onDead` runs when a pong does not come within the timeout. */
  start(socket: WebSocketLike, onDead: () => void): void {
    this.stop();
    const settings = this.#settings;
    if (!settings || !(settings.interval > 0)) return;
    this.#timer = setInterval(() => {
      if (this.#pongTimer || socket.readyState !== OPEN) return;
      socket.send('ping');
      this.#pongTimer = setTimeout(onDead, settings.timeout);
    }, settings.interval);
  }

  /** The gateway answered. */
  pong(): void {
    clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
  }

  stop(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#pongTimer);
    this.#timer = this.#pongTimer = undefined;
  }
}

/**
 * In browsers: calls `onOnline` when the network comes back (so a reconnect can skip the rest of its backoff
 * wait). Returns the function that stops watching; null where there is no window to watch.
 */
export function watchNetwork(onOnline: () => void): (() => void) | null {
  const target = (globalThis as { window?: Window }).window;
  if (typeof target?.addEventListener !== 'function') return null;
  target.addEventListener('online', onOnline);
  return () => target.removeEventListener('online', onOnline);
}

/**
 * Resolves with the client's next welcome; rejects when it stops for good before one (a refused ticket, a
 * terminal close code, `close()`). The rejection is handled here too: callers often fire and forget
 * `connect()`, and a refused ticket must not become an unhandled rejection.
 */
export function nextWelcome(client: Emitter<SwitchboardEvents>): Promise<Welcome> {
  const welcomed = new Promise<Welcome>((resolve, reject) => {
    const offConnected = client.once('connected', (welcome) => {
      offDisconnected();
      resolve(welcome);
    });
    const offDisconnected = client.on('disconnected', (event) => {
      if (event.willReconnect) return;
      offConnected();
      offDisconnected();
      reject(new SwitchboardError((event.error as SwitchboardError | undefined)?.code || 'closed', event.reason || `closed with ${event.code}`));
    });
  });
  welcomed.catch(() => {});
  return welcomed;
}
