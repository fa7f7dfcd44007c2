/**
 * React bindings for the Switchboard client: `useSwitchboard`, `useChannel`, `useStream`, `useResumableStream`
 * and a provider.
 * Plain `createElement`, no JSX; React is a peer dependency.
 */
import { savedStream } from './resumable.js';
import { createContext, createElement, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Switchboard } from './client.js';
const SwitchboardContext = createContext(null);
// Components sharing a channel share its Subscription (client.subscribe is idempotent): count the users so
// the last one to unmount, not the first, unsubscribes.
const subscriptionUsers = new WeakMap();
/** Makes a client available to `useSwitchboard()`, `useChannel()` and `useStream()` below it. */
export function SwitchboardProvider({ client, children }) {
    return createElement(SwitchboardContext.Provider, { value: client }, children);
}
function useClient(explicit) {
    const fromContext = useContext(SwitchboardContext);
    const client = explicit || fromContext;
    if (!client)
        throw new Error('No Switchboard client: pass {client} or render inside <SwitchboardProvider>');
    return client;
}
/**
 * With a URL: creates a client for the component's lifetime, connects on mount and closes on unmount.
 * Without: uses the provider's client. Returns `{client, state, welcome, lastDisconnect}` and re-renders on
 * every connection state change.
 */
export function useSwitchboard(url, options) {
    const fromContext = useContext(SwitchboardContext);
    // The latest options are read at (re)connect time, so an inline getToken closure is fine.
    const optionsRef = useRef(options);
    optionsRef.current = options;
    const [own] = useState(() => {
        if (!url)
            return null;
        const current = optionsRef.current || {};
        return new Switchboard(url, {
            ...current,
            getToken: current.getToken ? () => optionsRef.current.getToken() : undefined,
        });
    });
    const client = own || fromContext;
    if (!client)
        throw new Error('useSwitchboard() needs a URL or a <SwitchboardProvider>');
    useEffect(() => {
        if (!own)
            return undefined;
        own.connect().catch(() => {
            // The state and lastDisconnect show why; nothing to throw into React here.
        });
        return () => own.close();
    }, [own]);
    const state = useSyncExternalStore(useCallback((notify) => client.on('state', notify), [client]), () => client.state, () => client.state);
    const [lastDisconnect, setLastDisconnect] = useState(null);
    useEffect(() => client.on('disconnected', setLastDisconnect), [client]);
    return { client, state, welcome: client.welcome, lastDisconnect };
}
/**
 * Subscribes to `channel` while mounted (null/undefined: none). Returns `{messages, members, subscribed,
 * publish}`: `messages` is the last `limit` channel messages (recovered ones included, in order),
 * `members` the presence list, `subscribed` the last SubscribedEvent (its `recovered: false` means messages
 * were missed for good: reload history). `history: n` loads the last n messages on subscribe.
 */
export function useChannel(channel, { client: explicit, limit = 200, presence = true, history = 0 } = {}) {
    const client = useClient(explicit);
    const [messages, setMessages] = useState([]);
    const [members, setMembers] = useState([]);
    const [subscribed, setSubscribed] = useState(null);
    useEffect(() => {
        if (!channel)
            return undefined;
        setMessages([]);
        setMembers([]);
        setSubscribed(null);
        const sub = client.subscribe(channel, { presence });
        const counted = sub; // the key of the users' count
        subscriptionUsers.set(counted, (subscriptionUsers.get(counted) || 0) + 1);
        // Offsets restart when the channel's epoch changes: order by (epoch in the order seen, offset).
        const epochs = [];
        const era = (epoch) => {
            const index = epochs.indexOf(epoch);
            return index >= 0 ? index : epochs.push(epoch) - 1;
        };
        const key = (m) => `${m.epoch}:${m.offset}`;
        const append = (list) => setMessages((previous) => {
            const seen = new Set(previous.map(key));
            const merged = previous
                .concat(list.filter((m) => !seen.has(key(m))))
                .sort((a, b) => era(a.epoch) - era(b.epoch) || a.offset - b.offset);
            return merged.length > limit ? merged.slice(merged.length - limit) : merged;
        });
        const onSubscribed = (event) => {
            setSubscribed(event);
            if (history > 0 && (!event.resubscribed || event.recovered === false)) {
                client
                    .history(channel, { limit: history, reverse: true })
                    .then((page) => append(page.publications.map((p) => ({ ...p, type: 'message', channel }))))
                    .catch(() => { });
            }
        };
        const offs = [
            sub.on('message', (message) => append([message])),
            sub.on('members', setMembers),
            sub.on('subscribed', onSubscribed),
        ];
        // Another component subscribed first: catch up with what this one missed.
        if (sub.active && sub.position) {
            onSubscribed({ channel, ...sub.position, recovered: undefined, resubscribed: false, replayed: 0 });
        }
        if (presence && sub.trackPresence && sub.members.size)
            setMembers(sub.memberList);
        return () => {
            offs.forEach((off) => off());
            const users = (subscriptionUsers.get(counted) ?? 1) - 1;
            subscriptionUsers.set(counted, users);
            if (users <= 0)
                void sub.unsubscribe();
        };
    }, [client, channel, limit, presence, history]);
    const publish = useCallback((data, options) => client.publish(channel, data, options), [client, channel]);
    return { messages, members, subscribed, publish };
}
/**
 * Reads streams one at a time for a component: `run(open)` reads the stream `open(signal)` returns (ending the
 * previous one), into `{chunks, status, error}`; status is `idle`, `streaming`, `complete`, `cancelled` (or
 * the gateway's end reason, e.g. `producer_lost`) or `error`.
 */
function useStreamReader() {
    const [chunks, setChunks] = useState([]);
    const [status, setStatus] = useState('idle');
    const [error, setError] = useState(null);
    const controllerRef = useRef(null);
    const run = useCallback(async (open) => {
        controllerRef.current?.abort();
        const controller = new AbortController();
        controllerRef.current = controller;
        setChunks([]);
        setError(null);
        setStatus('streaming');
        const current = () => controllerRef.current === controller;
        const stream = open(controller.signal);
        try {
            for await (const chunk of stream) {
                if (!current())
                    return;
                setChunks((previous) => previous.concat([chunk]));
            }
            if (current())
                setStatus(stream.endReason || 'complete');
        }
        catch (err) {
            if (current()) {
                setError(err);
                setStatus('error');
            }
        }
    }, []);
    return { chunks, status, error, run, controllerRef };
}
/**
 * A streamed request driven from a component: `start(type, data)` begins (cancelling a running one),
 * `stop()` cancels. Returns `{chunks, status, error, start, stop}`; status is `idle`, `streaming`,
 * `complete`, `cancelled` or `error`. Unmounting cancels.
 */
export function useStream({ client: explicit } = {}) {
    const client = useClient(explicit);
    const { chunks, status, error, run, controllerRef } = useStreamReader();
    const stop = useCallback(() => controllerRef.current?.abort(), [controllerRef]);
    const start = useCallback((type, data) => run((signal) => client.stream(type, data, { signal })), [client, run]);
    useEffect(() => () => controllerRef.current?.abort(), [controllerRef]);
    return { chunks, status, error, start, stop };
}
/**
 * A resumable request driven from a component, that survives a page reload: `start(type, data)` asks for a
 * resumable reply kept under `key` in sessionStorage; mounted again (after a reload), the hook finds it and
 * resumes it from its start, so `chunks` is the whole answer again and then goes on live. `stop()` cancels the
 * reply (its producer stops). Unmounting stops reading but not the reply: it can be resumed later.
 * Returns `{chunks, status, error, start, stop, stream}`.
 */
export function useResumableStream(key, { client: explicit } = {}) {
    const client = useClient(explicit);
    const { chunks, status, error, run, controllerRef } = useStreamReader();
    const streamRef = useRef(null);
    const follow = useCallback((open) => run((signal) => {
        const stream = open();
        streamRef.current = stream;
        signal.addEventListener('abort', () => streamRef.current === stream && stream.cancel(), { once: true });
        return stream;
    }), [run]);
    const start = useCallback((type, data) => follow(() => client.request(type, data, { resumable: true, persist: key })), [client, key, follow]);
    const stop = useCallback(() => streamRef.current?.cancel(), []);
    useEffect(() => {
        const saved = savedStream(key);
        if (saved)
            void follow(() => client.resume(saved.stream, { persist: key }));
        return () => {
            streamRef.current = null; // leave the reply running: it is resumable
            controllerRef.current = null;
        };
    }, [client, key, follow, controllerRef]);
    return { chunks, status, error, start, stop, stream: streamRef.current };
}
