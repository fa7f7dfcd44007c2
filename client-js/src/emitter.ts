/** A listener of one event's values. */
export type Listener<V> = (value: V) => void;

/**
 * A minimal event emitter that works the same in browsers and Node (no EventTarget subclassing quirks),
 * typed by an event map: `Emitter<{message: Message}>` takes only `message` listeners of Messages.
 */
export class Emitter<E extends object = Record<string, unknown>> {
  #listeners = new Map<keyof E, Set<Listener<never>>>();

  /** Adds a listener; returns a function that removes it (handy in React effects). */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  /** Adds a listener that runs at most once. */
  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const off = this.on(event, (value) => {
      off();
      listener(value);
    });
    return off;
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    this.#listeners.get(event)?.delete(listener as Listener<never>);
  }

  /** Whether anything listens for `event`. */
  protected listens(event: keyof E): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }

  emit<K extends keyof E>(event: K, value: E[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    // Copy first: a listener may remove itself (once) while we iterate.
    for (const listener of [...set] as Listener<E[K]>[]) {
      try {
        listener(value);
      } catch (err) {
        // One broken listener must not break delivery to the others, nor the socket loop.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
