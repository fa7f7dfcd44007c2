import { RemoteClient } from './remote.js';
import type { SwitchboardOptions } from '../types.js';
/** SharedSwitchboard's options: Switchboard's, and how to share. */
export interface SharedSwitchboardOptions extends SwitchboardOptions {
    /**
     * "worker" (a SharedWorker holds the socket), "leader" (a tab elected with Web Locks holds it, the others
     * reach it over a BroadcastChannel; a closed leader hands over with recovery), or "auto" (the default:
     * worker where SharedWorker exists, else leader).
     */
    shared?: 'auto' | 'worker' | 'leader';
}
/** Which sharing this browser allows: "worker", "leader", or null (each tab on its own is then the caller's choice). */
export declare function sharingMode(wanted?: 'auto' | 'worker' | 'leader'): 'worker' | 'leader' | null;
/**
 * Switchboard's API over one connection shared by every tab of the origin (per gateway URL): subscriptions
 * are reference-counted across tabs, a tab's close never ends another's streams, and with `shared: "leader"`
 * (or where SharedWorker is missing) a closed leader tab hands the connection over to another with recovery.
 * `options` as for Switchboard; `token` / `getToken` stay in each tab and are asked for tickets.
 */
export declare class SharedSwitchboard extends RemoteClient {
    /** "worker" or "leader": how this browser shares the connection. */
    readonly mode: 'worker' | 'leader';
    /** Whether this tab holds the connection (leader mode). */
    readonly leading: () => boolean;
    constructor(url: string, options?: SharedSwitchboardOptions);
}
