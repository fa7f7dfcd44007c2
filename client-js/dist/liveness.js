import { SwitchboardError } from './errors.js';
import { OPEN } from './transport.js';
/**
 * Browsers cannot see WebSocket ping frames: an application-level ping is the only way for a page to notice
 * a half-open connection (laptop lid closed, NAT entry expired) and reconnect. It is the bare text frame
 * `ping`, which the gateway answers at once with `pong`, ahead of queued work: a JSON `ping` would wait
 * behind a long streamed reply and make a busy connection look dead.
 */
export class Heartbeat {
    #settings;
    #timer;
    #pongTimer;
    /** @param settings `{interval, timeout}` in ms; a missing or non-positive interval turns it off */
    constructor(settings) {
        this.#settings = settings;
    }
    /** Pings `socket` every interval; `onDead` runs when a pong does not come within the timeout. */
    start(socket, onDead) {
        this.stop();
        const settings = this.#settings;
        if (!settings || !(settings.interval > 0))
            return;
        this.#timer = setInterval(() => {
            if (this.#pongTimer || socket.readyState !== OPEN)
                return;
            socket.send('ping');
            this.#pongTimer = setTimeout(onDead, settings.timeout);
        }, settings.interval);
    }
    /** The gateway answered. */
    pong() {
        clearTimeout(this.#pongTimer);
        this.#pongTimer = undefined;
    }
    stop() {
        clearInterval(this.#timer);
        clearTimeout(this.#pongTimer);
        this.#timer = this.#pongTimer = undefined;
    }
}
/**
 * In browsers: calls `onOnline` when the network comes back (so a reconnect can skip the rest of its backoff
 * wait). Returns the function that stops watching; null where there is no window to watch.
 */
export function watchNetwork(onOnline) {
    const target = globalThis.window;
    if (typeof target?.addEventListener !== 'function')
        return null;
    target.addEventListener('online', onOnline);
    return () => target.removeEventListener('online', onOnline);
}
/**
 * Resolves with the client's next welcome; rejects when it stops for good before one (a refused ticket, a
 * terminal close code, `close()`). The rejection is handled here too: callers often fire and forget
 * `connect()`, and a refused ticket must not become an unhandled rejection.
 */
export function nextWelcome(client) {
    const welcomed = new Promise((resolve, reject) => {
        const offConnected = client.once('connected', (welcome) => {
            offDisconnected();
            resolve(welcome);
        });
        const offDisconnected = client.on('disconnected', (event) => {
            if (event.willReconnect)
                return;
            offConnected();
            offDisconnected();
            reject(new SwitchboardError(event.error?.code || 'closed', event.reason || `closed with ${event.code}`));
        });
    });
    welcomed.catch(() => { });
    return welcomed;
}
