/**
 * A minimal event emitter that works the same in browsers and Node (no EventTarget subclassing quirks),
 * typed by an event map: `Emitter<{message: Message}>` takes only `message` listeners of Messages.
 */
export class Emitter {
    #listeners = new Map();
    /** Adds a listener; returns a function that removes it (handy in React effects). */
    on(event, listener) {
        let set = this.#listeners.get(event);
        if (!set)
            this.#listeners.set(event, (set = new Set()));
        set.add(listener);
        return () => this.off(event, listener);
    }
    /** Adds a listener that runs at most once. */
    once(event, listener) {
        const off = this.on(event, (value) => {
            off();
            listener(value);
        });
        return off;
    }
    off(event, listener) {
        this.#listeners.get(event)?.delete(listener);
    }
    /** Whether anything listens for `event`. */
    listens(event) {
        return (this.#listeners.get(event)?.size ?? 0) > 0;
    }
    emit(event, value) {
        const set = this.#listeners.get(event);
        if (!set)
            return;
        // Copy first: a listener may remove itself (once) while we iterate.
        for (const listener of [...set]) {
            try {
                listener(value);
            }
            catch (err) {
                // One broken listener must not break delivery to the others, nor the socket loop.
                queueMicrotask(() => {
                    throw err;
                });
            }
        }
    }
}
