import type { SwitchboardError } from './errors.js';
import { ReplyStream } from './stream.js';

const STORAGE_PREFIX = 'switchboard:stream:';

/** Where a resumable reply is: its stream and the offset after the last frame received. */
export interface SavedStream {
  stream: string;
  offset: string | null;
}

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // sessionStorage access can throw (sandboxed iframes, disabled storage)
  }
}

/**
 * A resumable reply: a ReplyStream whose answer the gateway writes to a stream (`replies/ID`) as it is
 * produced. It survives the connection: after a drop the client resumes it from the last offset it received,
 * on whichever node it reconnects to, and the chunks continue in order, none lost or repeated. `stream` and
 * `offset` say where it is; with `persist: key` both are kept in sessionStorage until it ends, so a page that
 * reloads can find it again (`Switchboard.savedStream(key)`) and `resume` it.
 */
export class ResumableStream<C = unknown> extends ReplyStream<C> {
  /** The reply's stream (`replies/ID`), once the gateway said it. */
  stream: string | null;
  /** The offset after the last frame received: where a resume continues. */
  offset: string | null;
  #persist: string | null;

  /** @internal */
  constructor(id: string, cancel: () => void,
    { stream = null, offset = null, persist = null }: { stream?: string | null; offset?: string | null; persist?: string | null } = {}) {
    super(id, cancel);
    this.stream = stream;
    this.offset = offset;
    this.#persist = persist;
  }

  /** @internal where the stream is now */
  _at(stream: string | null | undefined, offset: string | null | undefined): void {
    if (stream) this.stream = stream;
    if (offset) this.offset = offset;
    if (this.#persist && this.stream) {
      storage()?.setItem(STORAGE_PREFIX + this.#persist, JSON.stringify({ stream: this.stream, offset: this.offset }));
    }
  }

  /** @internal */
  override _finish(reason: string | null | undefined, error: SwitchboardError | null = null): void {
    // The gateway ended it (complete, cancelled, an error frame): forget it. The client closing is not an end:
    // the reply goes on, and the page that comes back resumes it.
    if (!this._done && this.#persist && error?.code !== 'closed') storage()?.removeItem(STORAGE_PREFIX + this.#persist);
    super._finish(reason, error);
  }
}

/** What `persist: key` kept: `{stream, offset}`, or null. */
export function savedStream(key: string): SavedStream | null {
  const text = storage()?.getItem(STORAGE_PREFIX + key);
  if (!text) return null;
  try {
    return JSON.parse(text) as SavedStream;
  } catch {
    return null;
  }
}
