/** A listener of one event's values. */
export type Listener<V> = (value: V) => void;
/**
 * A minimal event emitter that works the same in browsers and Node (no EventTarget subclassing quirks),
 * typed by an event map: `Emitter<{message: Message}>` takes only `message` listeners of Messages.
 */
export declare class Emitter<E extends object = Record<string, unknown>> {
    #private;
    /** Adds a listener; returns a function that removes it (handy in React effects). */
    on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void;
    /** Adds a listener that runs at most once. */
    once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void;
    off<K extends keyof E>(event: K, listener: Listener<E[K]>): void;
    /** Whether anything listens for `event`. */
    protected listens(event: keyof E): boolean;
    emit<K extends keyof E>(event: K, value: E[K]): void;
}
