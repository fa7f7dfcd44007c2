import { SwitchboardError } from './errors.js';
/**
 * The ticket for the next connection attempt: a fresh one from `getToken()` when there is one (tickets are
 * short-lived), else the fixed `token`. Rejects with a SwitchboardError (`token_unavailable`).
 */
export async function ticketFor(options) {
    if (typeof options.getToken !== 'function')
        return options.token;
    try {
        return await options.getToken();
    }
    catch (err) {
        throw err instanceof SwitchboardError ? err : new SwitchboardError('token_unavailable', String(err?.message || err));
    }
}
/**
 * Tickets are short-lived, connections are not: a little before the ticket's `expiresAt`, a new one is
 * fetched with `getToken()` and handed to the gateway (`refresh`), so the connection lives on without a
 * reconnect. The gateway also asks (a `refresh` frame) when the credential has expired.
 */
export class TicketRefresher {
    #client;
    #timer;
    #running = false;
    constructor(client) {
        this.#client = client;
    }
    /** Plans the renewal of a credential ending at `expiresAt` (ms since the epoch; none when not positive). */
    schedule(expiresAt) {
        this.cancel();
        if (!(expiresAt !== undefined && expiresAt > 0) || typeof this.#client.getToken !== 'function')
            return;
        const left = expiresAt - Date.now();
        const lead = Math.min(5000, Math.max(0, left / 4));
        this.#timer = setTimeout(() => {
            this.#timer = undefined;
            void this.refresh();
        }, Math.max(0, left - lead));
    }
    cancel() {
        clearTimeout(this.#timer);
        this.#timer = undefined;
    }
    /** Renews now (once at a time); a failure is reported, not fatal: an ending credential closes with 4005. */
    async refresh() {
        const client = this.#client;
        const connection = client.connection();
        if (this.#running || !connection || typeof client.getToken !== 'function')
            return;
        this.#running = true;
        try {
            const token = await client.getToken();
            if (connection !== client.connection())
                return;
            const reply = await client.request('refresh', { token });
            if (connection !== client.connection())
                return;
            this.schedule(reply?.expiresAt);
            client.emit('refreshed', { expiresAt: reply?.expiresAt ?? 0 });
        }
        catch (err) {
            client.emit('error', err instanceof SwitchboardError ? err
                : new SwitchboardError('refresh_failed', String(err?.message || err)));
        }
        finally {
            this.#running = false;
        }
    }
}
