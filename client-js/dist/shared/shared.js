import { SharedHub } from './hub.js';
import { RemoteClient } from './remote.js';
const newPeerId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
/** Options a hub can be given: what survives structured cloning (functions stay in the tab). */
function cloneable(options) {
    const { token, getToken, WebSocket, EventSource, fetch, shared, ...rest } = options;
    return rest;
}
/** A SharedWorker's port to the hub of `url`'s worker. */
function workerLink(url) {
    const worker = new SharedWorker(new URL('./worker.js', import.meta.url), { type: 'module', name: `switchboard ${url}` });
    const port = worker.port;
    port.start();
    return {
        peer: newPeerId(),
        leading: () => false,
        post: (message) => port.postMessage(message),
        onMessage: (handler) => port.addEventListener('message', ({ data }) => handler(data)),
        close: () => { },
    };
}
/**
 * Where SharedWorker is missing (Chrome on Android, some WebViews): the tabs elect a leader with the Web Locks
 * API (the lock is released when the leader's tab goes), the leader runs the hub, and the others reach it over
 * a BroadcastChannel. A new leader announces itself; every tab then rejoins with its subscriptions'
 * positions, so a hand-over loses nothing.
 */
function leaderLink(url, options, onLeader) {
    const name = `switchboard ${url}`;
    const channel = new BroadcastChannel(name);
    const peer = newPeerId();
    const handlers = [];
    const deliver = (event) => handlers.forEach((h) => h(event));
    let hub = null;
    let resign = () => { };
    let closed = false;
    const link = {
        peer,
        leading: () => hub !== null,
        post: (message) => {
            if (hub)
                hub.receive(message, message.peer === peer ? deliver : (event) => channel.postMessage({ to: message.peer, event }));
            else
                channel.postMessage(message);
        },
        onMessage: (handler) => handlers.push(handler),
        close: () => {
            // a leader that leaves while its page stays (close() called) hands the connection over at once
            closed = true;
            hub?.close();
            hub = null;
            resign();
            channel.close();
        },
    };
    channel.onmessage = ({ data }) => {
        if (data.leader)
            onLeader();
        else if (data.to === peer)
            deliver(data.event);
        else if (data.op && hub)
            link.post(data);
    };
    void navigator.locks.request(name, () => new Promise((resolve) => {
        // this tab leads until it closes (the lock goes with it) or its client is closed
        resign = resolve;
        if (closed)
            return resolve();
        hub = new SharedHub(url, cloneable(options));
        channel.postMessage({ leader: peer });
        onLeader();
    }));
    return link;
}
/** Which sharing this browser allows: "worker", "leader", or null (each tab on its own is then the caller's choice). */
export function sharingMode(wanted = 'auto') {
    if ((wanted === 'auto' || wanted === 'worker') && typeof SharedWorker === 'function')
        return 'worker';
    if ((wanted === 'auto' || wanted === 'leader') && typeof BroadcastChannel === 'function' && globalThis.navigator?.locks)
        return 'leader';
    return null;
}
/**
 * Switchboard's API over one connection shared by every tab of the origin (per gateway URL): subscriptions
 * are reference-counted across tabs, a tab's close never ends another's streams, and with `shared: "leader"`
 * (or where SharedWorker is missing) a closed leader tab hands the connection over to another with recovery.
 * `options` as for Switchboard; `token` / `getToken` stay in each tab and are asked for tickets.
 */
export class SharedSwitchboard extends RemoteClient {
    /** "worker" or "leader": how this browser shares the connection. */
    mode;
    /** Whether this tab holds the connection (leader mode). */
    leading;
    constructor(url, options = {}) {
        const mode = sharingMode(options.shared || 'auto');
        if (!mode)
            throw new TypeError('this browser has neither SharedWorker nor BroadcastChannel with Web Locks');
        const absolute = new URL(url, globalThis.location?.href).toString();
        let self = null;
        const link = mode === 'worker' ? workerLink(absolute) : leaderLink(absolute, options, () => self?.rejoin());
        super(link, { url: absolute, options: cloneable(options) }, options);
        self = this;
        this.mode = mode;
        this.leading = link.leading;
    }
}
