import { SwitchboardError } from './errors.js';

/**
 * The ticket for the next connection attempt: a fresh one from `getToken()` when there is one (tickets are
 * short-lived), else the fixed `token`. Rejects with a SwitchboardError (`token_unavailable`).
 */
export async function ticketFor(options: { token?: string; getToken?: () => string | Promise<string> }): Promise<string | undefined> {
  if (typeof options.getToken !== 'function') return options.token;
  try {
    return await options.getToken();
  } catch (err) {
    throw err instanceof SwitchboardError ? err : new SwitchboardError('token_unavailable', String((err as Error)?.message || err));
  }
}

/** What the refresher needs of its client. */
export interface RefreshingClient {
  getToken?: () => string | Promise<string>;
  /** An opaque value naming the current connection, null when there is none. */
  connection(): unknown;
  request(type: string, data: unknown): Promise<{ expiresAt?: number } | undefined>;
  emit(event: 'refreshed', value: { expiresAt: number }): void;
  emit(event: 'error', value: SwitchboardError): void;
}

/**
 * Tickets are short-lived, connections are not: a little before the ticket's `expiresAt`, a new one is
 * fetched with `getToken()` and handed to the gateway (`refresh`), so the connection lives on without a
 * reconnect. The gateway also asks (a `refresh` frame) when the credential has expired.
 */
export class TicketRefresher {
  #client: RefreshingClient;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  constructor(client: RefreshingClient) {
    this.#client = client;
  }

  /** Plans the renewal of a credential ending at `expiresAt` (ms since the epoch; none when not positive). */
  schedule(expiresAt: number | undefined): void {
    this.cancel();
    if (!(expiresAt !== undefined && expiresAt > 0) || typeof this.#client.getToken !== 'function') return;
    const left = expiresAt - Date.now();
    const lead = Math.min(5000, Math.max(0, left / 4));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.refresh();
    }, Math.max(0, left - lead));
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Renews now (once at a time); a failure is reported, not fatal: an ending credential closes with 4005. */
  async refresh(): Promise<void> {
    const client = this.#client;
    const connection = client.connection();
    if (this.#running || !connection || typeof client.getToken !== 'function') return;
    this.#running = true;
    try {
      const token = await client.getToken();
      if (connection !== client.connection()) return;
      const reply = await client.request('refresh', { token });
      if (connection !== client.connection()) return;
      this.schedule(reply?.expiresAt);
      client.emit('refreshed', { expiresAt: reply?.expiresAt ?? 0 });
    } catch (err) {
      client.emit('error', err instanceof SwitchboardError ? err
        : new SwitchboardError('refresh_failed', String((err as Error)?.message || err)));
    } finally {
      this.#running = false;
    }
  }
}
