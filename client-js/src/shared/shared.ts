import { SharedHub } from './hub.js';
import { RemoteClient } from './remote.js';
import type { SwitchboardOptions } from '../types.js';
import type { HubEvent, Link, PeerMessage } from './messages.js';

/** SharedSwitchboard's options: Switchboard's, and how to share. */
export interface SharedSwitchboardOptions extends SwitchboardOptions {
  /**
   * "worker" (a SharedWorker holds the socket), "leader" (a tab elected with Web Locks holds it, the others
   * reach it over a BroadcastChannel; a closed leader hands over with recovery), or "auto" (the default:
   * worker where SharedWorker exists, else leader).
   */
  shared?: 'auto' | 'worker' | 'leader';
}

const newPeerId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** Options a hub can be given: what survives structured cloning (functions stay in the tab). */
function cloneable(options: SharedSwitchboardOptions): SwitchboardOptions {
  const { token, getToken, WebSocket, EventSource, fetch, shared, ...rest } = options;
  return rest;
}

/** A SharedWorker's port to the hub of `url`'s worker. */
function workerLink(url: string): Link {
  const worker = new SharedWorker(new URL('./worker.js', import.meta.url), { type: 'module', name: `switchboard ${url}` });
  const port = worker.port;
  port.start();
  return {
    peer: newPeerId(),
    leading: () => false,
    post: (message) => port.postMessage(message),
    onMessage: (handler) => port.addEventListener('message', ({ data }) => handler(data as HubEvent)),
    close: () => {},
  };
}

/**
 * Where SharedWorker is missing (Chrome on Android, some WebViews): the tabs elect a leader with the Web Locks
 * API (the lock is released when the leader's tab goes), the leader runs the hub, and the others reach it over
 * a BroadcastChannel. A new leader announces itself; every tab then rejoins with its subscriptions'
 * positions, so a hand-over loses nothing.
 */
function leaderLink(url: string, options: SharedSwitchboardOptions, onLeader: () => void): Link {
  const name = `switchboard ${url}`;
  const channel = new BroadcastChannel(name);
  const peer = newPeerId();
  const handlers: ((event: HubEvent) => void)[] = [];
  const deliver = (event: HubEvent) => handlers.forEach((h) => h(event));
  let hub: SharedHub | null = null;
  let resign = () => {};
  let closed = false;
  const link: Link = {
    peer,
    leading: () => hub !== null,
    post: (message: PeerMessage) => {
      if (hub) hub.receive(message, message.peer === peer ? deliver : (event: HubEvent) => channel.postMessage({ to: message.peer, event }));
      else channel.postMessage(message);
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
    if (data.leader) onLeader();
    else if (data.to === peer) deliver(data.event);
    else if (data.op && hub) link.post(data as PeerMessage);
  };
  void navigator.locks.request(name, () => new Promise<void>((resolve) => {
    // this tab leads until it closes (the lock goes with it) or its client is closed
    resign = resolve;
    if (closed) return resolve();
    hub = new SharedHub(url, cloneable(options));
    channel.postMessage({ leader: peer });
    onLeader();
  }));
  return link;
}

/** Which sharing this browser allows: "worker", "leader", or null (each tab on its own is then the caller's choice). */
export function sharingMode(wanted: 'auto' | 'worker' | 'leader' = 'auto'): 'worker' | 'leader' | null {
  if ((wanted === 'auto' || wanted === 'worker') && typeof SharedWorker === 'function') return 'worker';
  if ((wanted === 'auto' || wanted === 'leader') && typeof BroadcastChannel === 'function' && globalThis.navigator?.locks) return 'leader';
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
  readonly mode: 'worker' | 'leader';
  /** Whether this tab holds the connection (leader mode). */
  readonly leading: () => boolean;

  constructor(url: string, options: SharedSwitchboardOptions = {}) {
    const mode = sharingMode(options.shared || 'auto');
    if (!mode) throw new TypeError('this browser has neither SharedWorker nor BroadcastChannel with Web Locks');
    const absolute = new URL(url, globalThis.location?.href).toString();
    let self: SharedSwitchboard | null = null;
    const link = mode === 'worker' ? workerLink(absolute) : leaderLink(absolute, options, () => self?.rejoin());
    super(link, { url: absolute, options: cloneable(options) }, options);
    self = this;
    this.mode = mode;
    this.leading = link.leading;
  }
}
