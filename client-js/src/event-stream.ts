// The Server-Sent Events fallback, shaped like the WebSocket the client already speaks to: readyState,
// send(), close(), onopen/onmessage/onclose. Frames come down as events of `GET /sse`; frames go up as
// `POST /sse/{connection}` with the stream's key, one request at a time and several frames per request
// (newline-separated), so they reach the gateway in the order they were sent.

import type { WebSocketLike } from './types.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/** The `/sse` URL for a WebSocket URL (`ws://host/ws?token=…` → `http://host/sse?token=…&endpoint=/ws`). */
export function eventStreamUrl(socketUrl: string): string {
  const url = new URL(socketUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  url.searchParams.set('endpoint', url.pathname);
  url.pathname = '/sse';
  return url.toString();
}

/** The EventSource and fetch an EventStreamSocket uses (default: the globals). */
export interface EventStreamImpl {
  EventSource?: new (url: string, init?: { withCredentials?: boolean }) => unknown;
  fetch?: typeof fetch;
}

interface EventSourceLike {
  onmessage: ((event: { data: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

export class EventStreamSocket implements WebSocketLike {
  readyState: number;
  readonly url: string;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean?: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  #source: EventSourceLike;
  #fetch: typeof fetch;
  #postUrl: string | null = null;
  #key: string | null = null;
  #queue: string[] = [];
  #posting = false;

  /**
   * @param socketUrl the WebSocket URL the client would have opened
   * @param impl implementations (default: the globals)
   */
  constructor(socketUrl: string, impl: EventStreamImpl = {}) {
    const EventSourceImpl = impl.EventSource || globalThis.EventSource;
    const fetchImpl = impl.fetch || globalThis.fetch?.bind(globalThis);
    if (typeof EventSourceImpl !== 'function' || typeof fetchImpl !== 'function') {
      throw new TypeError('No EventSource/fetch here: the SSE transport needs both');
    }
    this.#fetch = fetchImpl;
    this.readyState = CONNECTING;
    this.url = eventStreamUrl(socketUrl);
    this.#source = new EventSourceImpl(this.url, { withCredentials: true }) as EventSourceLike;
    this.#source.onmessage = (event) => this.#onEvent(event.data);
    // EventSource would reconnect by itself; the client reconnects with its own backoff and recovery instead.
    this.#source.onerror = () => this.#end(1006, this.readyState === CONNECTING ? 'event stream could not open' : 'event stream lost');
  }

  #onEvent(text: string): void {
    if (this.readyState === CONNECTING) {
      let hello: { type?: string; connection?: string; key?: string } | null;
      try {
        hello = JSON.parse(text);
      } catch {
        hello = null;
      }
      if (hello?.type !== 'stream') return this.#end(1002, 'not a Switchboard event stream');
      this.#postUrl = new URL(`/sse/${encodeURIComponent(hello.connection ?? '')}`, this.url).toString();
      this.#key = hello.key ?? null;
      this.readyState = OPEN;
      this.onopen?.({});
      return;
    }
    if (text.startsWith('{"type":"close"')) {
      const close = JSON.parse(text);
      return this.#end(close.code, close.reason || '');
    }
    this.onmessage?.({ data: text });
  }

  send(text: string): void {
    if (this.readyState !== OPEN) throw new Error('the event stream is not open');
    this.#queue.push(text);
    if (!this.#posting) void this.#flush();
  }

  async #flush(): Promise<void> {
    this.#posting = true;
    try {
      while (this.#queue.length > 0 && this.readyState === OPEN) {
        const body = this.#queue.splice(0).join('\n');
        let response: Response;
        try {
          response = await this.#fetch(this.#postUrl as string, {
            method: 'POST',
            headers: { 'X-Stream-Key': this.#key ?? '', 'Content-Type': 'text/plain;charset=utf-8' },
            body,
            credentials: 'include',
          });
        } catch (err) {
          this.#end(1006, `sending failed: ${(err as Error)?.message || err}`);
          return;
        }
        if (response.status === 404) {
          this.#end(1006, 'the event stream is gone');
          return;
        }
        // 400/413 are answered on the stream as error frames too; nothing else to do here.
      }
    } finally {
      this.#posting = false;
    }
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === CLOSED) return;
    this.#source.close();
    this.readyState = CLOSED;
    setTimeout(() => this.onclose?.({ code, reason, wasClean: true }), 0);
  }

  #end(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.#source.close();
    this.readyState = CLOSED;
    this.onclose?.({ code, reason, wasClean: false });
  }
}
