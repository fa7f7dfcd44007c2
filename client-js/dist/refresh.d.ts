import { SwitchboardError } from './errors.js';
/**
 * The ticket for the next connection attempt: a fresh one from `getToken()` when there is one (tickets are
 * short-lived), else the fixed `token`. Rejects with a SwitchboardError (`token_unavailable`).
 */
export declare function ticketFor(options: {
    token?: string;
    getToken?: () => string | Promise<string>;
}): Promise<string | undefined>;
/** What the refresher needs of its client. */
export interface RefreshingClient {
    getToken?: () => string | Promise<string>;
    /** An opaque value naming the current connection, null when there is none. */
    connection(): unknown;
    request(type: string, data: unknown): Promise<{
        expiresAt?: number;
    } | undefined>;
    emit(event: 'refreshed', value: {
        expiresAt: number;
    }): void;
    emit(event: 'error', value: SwitchboardError): void;
}
/**
 * Tickets are short-lived, connections are not: a little before the ticket's `expiresAt`, a new one is
 * fetched with `getToken()` and handed to the gateway (`refresh`), so the connection lives on without a
 * reconnect. The gateway also asks (a `refresh` frame) when the credential has expired.
 */
export declare class TicketRefresher {
    #private;
    constructor(client: RefreshingClient);
    /** Plans the renewal of a credential ending at `expiresAt` (ms since the epoch; none when not positive). */
    schedule(expiresAt: number | undefined): void;
    cancel(): void;
    /** Renews now (once at a time); a failure is reported, not fatal: an ending credential closes with 4005. */
    refresh(): Promise<void>;
}
