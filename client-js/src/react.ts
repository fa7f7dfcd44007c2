/**
 * React bindings for the Switchboard client: `useSwitchboard`, `useChannel`, `useStream`, `useResumableStream`
 * and a provider.
 * Plain `createElement`, no JSX; React is a peer dependency.
 */
import { ResumableStream, savedStream } from './resumable.js';
import { createContext, createElement, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { Switchboard } from './client.js';
import type { SwitchboardError } from './errors.js';
import type * as Wire from './protocol.js';
import type { ReplyStream } from './stream.js';
import type { Subscription } from './subscription.js';
import type {
  ChannelMessage, ConnectionState, DisconnectedEvent, Json, PresenceMember, RequestOptions, SubscribedEvent,
  SwitchboardOptions, Welcome,
} from './types.js';

export interface UseSwitchboardResult {
  client: Switchboard;
  state: ConnectionState;
  welcome: Welcome | null;
  lastDisconnect: DisconnectedEvent | null;
}

export interface UseChannelOptions {
  client?: Switchboard;
  /** Keep at most this many messages (default 200). */
  limit?: number;
  /** Track the presence list (default true). */
  presence?: boolean;
  /** Load the last n messages from history on subscribe (default 0). */
  history?: number;
}

export interface UseChannelResult<D = Json> {
  messages: ChannelMessage<D>[];
  members: PresenceMember[];
  subscribed: SubscribedEvent | null;
  publish(data: D, options?: RequestOptions): Promise<Wire.PublishReply>;
}

/** `idle`, `streaming`, `complete`, `cancelled`, `error`, or another end reason of the gateway's (`timeout`, `producer_lost`). */
export type StreamStatus = 'idle' | 'streaming' | 'complete' | 'cancelled' | 'error' | 'timeout' | 'producer_lost' | (string & {});

export interface UseStreamResult<C = unknown> {
  chunks: C[];
  status: StreamStatus;
  error: SwitchboardError | Error | null;
  start(type: string, data?: unknown): Promise<void>;
  stop(): void;
}

export interface UseResumableStreamResult<C = unknown> extends UseStreamResult<C> {
  /** The reply being read, once started or found again. */
  stream: ResumableStream<C> | null;
}

const SwitchboardContext = createContext<Switchboard | null>(null);
// Components sharing a channel share its Subscription (client.subscribe is idempotent): count the users so
// the last one to unmount, not the first, unsubscribes.
const subscriptionUsers = new WeakMap<Subscription<unknown>, number>();

/** Makes a client available to `useSwitchboard()`, `useChannel()` and `useStream()` below it. */
export function SwitchboardProvider({ client, children }: { client: Switchboard; children?: ReactNode }): ReactElement {
  return createElement(SwitchboardContext.Provider, { value: client }, children);
}

function useClient(explicit: Switchboard | undefined): Switchboard {
  const fromContext = useContext(SwitchboardContext);
  const client = explicit || fromContext;
  if (!client) throw new Error('No Switchboard client: pass {client} or render inside <SwitchboardProvider>');
  return client;
}

/**
 * With a URL: creates a client for the component's lifetime, connects on mount and closes on unmount.
 * Without: uses the provider's client. Returns `{client, state, welcome, lastDisconnect}` and re-renders on
 * every connection state change.
 */
export function useSwitchboard(url?: string, options?: SwitchboardOptions): UseSwitchboardResult {
  const fromContext = useContext(SwitchboardContext);
  // The latest options are read at (re)connect time, so an inline getToken closure is fine.
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const [own] = useState(() => {
    if (!url) return null;
    const current = optionsRef.current || {};
    return new Switchboard(url, {
      ...current,
      getToken: current.getToken ? () => optionsRef.current!.getToken!() : undefined,
    });
  });
  const client = own || fromContext;
  if (!client) throw new Error('useSwitchboard() needs a URL or a <SwitchboardProvider>');

  useEffect(() => {
    if (!own) return undefined;
    own.connect().catch(() => {
      // The state and lastDisconnect show why; nothing to throw into React here.
    });
    return () => own.close();
  }, [own]);

  const state = useSyncExternalStore(
    useCallback((notify: () => void) => client.on('state', notify), [client]),
    () => client.state,
    () => client.state,
  );
  const [lastDisconnect, setLastDisconnect] = useState<DisconnectedEvent | null>(null);
  useEffect(() => client.on('disconnected', setLastDisconnect), [client]);
  return { client, state, welcome: client.welcome, lastDisconnect };
}

/**
 * Subscribes to `channel` while mounted (null/undefined: none). Returns `{messages, members, subscribed,
 * publish}`: `messages` is the last `limit` channel messages (recovered ones included, in order),
 * `members` the presence list, `subscribed` the last SubscribedEvent (its `recovered: false` means messages
 * were missed for good: reload history). `history: n` loads the last n messages on subscribe.
 */
export function useChannel<D = Json>(channel: string | null | undefined,
  { client: explicit, limit = 200, presence = true, history = 0 }: UseChannelOptions = {}): UseChannelResult<D> {
  const client = useClient(explicit);
  const [messages, setMessages] = useState<ChannelMessage<D>[]>([]);
  const [members, setMembers] = useState<PresenceMember[]>([]);
  const [subscribed, setSubscribed] = useState<SubscribedEvent | null>(null);

  useEffect(() => {
    if (!channel) return undefined;
    setMessages([]);
    setMembers([]);
    setSubscribed(null);
    const sub = client.subscribe<D>(channel, { presence });
    const counted = sub as Subscription<unknown>; // the key of the users' count
    subscriptionUsers.set(counted, (subscriptionUsers.get(counted) || 0) + 1);
    // Offsets restart when the channel's epoch changes: order by (epoch in the order seen, offset).
    const epochs: string[] = [];
    const era = (epoch: string) => {
      const index = epochs.indexOf(epoch);
      return index >= 0 ? index : epochs.push(epoch) - 1;
    };
    const key = (m: ChannelMessage<D>) => `${m.epoch}:${m.offset}`;
    const append = (list: ChannelMessage<D>[]) =>
      setMessages((previous) => {
        const seen = new Set(previous.map(key));
        const merged = previous
          .concat(list.filter((m) => !seen.has(key(m))))
          .sort((a, b) => era(a.epoch) - era(b.epoch) || a.offset - b.offset);
        return merged.length > limit ? merged.slice(merged.length - limit) : merged;
      });
    const onSubscribed = (event: SubscribedEvent) => {
      setSubscribed(event);
      if (history > 0 && (!event.resubscribed || event.recovered === false)) {
        client
          .history<D>(channel, { limit: history, reverse: true })
          .then((page) => append(page.publications.map((p) => ({ ...p, type: 'message', channel }))))
          .catch(() => {});
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
    if (presence && sub.trackPresence && sub.members.size) setMembers(sub.memberList);
    return () => {
      offs.forEach((off) => off());
      const users = (subscriptionUsers.get(counted) ?? 1) - 1;
      subscriptionUsers.set(counted, users);
      if (users <= 0) void sub.unsubscribe();
    };
  }, [client, channel, limit, presence, history]);

  const publish = useCallback((data: D, options?: RequestOptions) => client.publish(channel as string, data, options),
    [client, channel]);
  return { messages, members, subscribed, publish };
}

/**
 * Reads streams one at a time for a component: `run(open)` reads the stream `open(signal)` returns (ending the
 * previous one), into `{chunks, status, error}`; status is `idle`, `streaming`, `complete`, `cancelled` (or
 * the gateway's end reason, e.g. `producer_lost`) or `error`.
 */
function useStreamReader<C>() {
  const [chunks, setChunks] = useState<C[]>([]);
  const [status, setStatus] = useState<StreamStatus>('idle');
  const [error, setError] = useState<SwitchboardError | Error | null>(null);
  const controllerRef = useRef<AbortController | null>(null);

  const run = useCallback(async (open: (signal: AbortSignal) => ReplyStream<C>): Promise<void> => {
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
        if (!current()) return;
        setChunks((previous) => previous.concat([chunk]));
      }
      if (current()) setStatus(stream.endReason || 'complete');
    } catch (err) {
      if (current()) {
        setError(err as Error);
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
export function useStream<C = unknown>({ client: explicit }: { client?: Switchboard } = {}): UseStreamResult<C> {
  const client = useClient(explicit);
  const { chunks, status, error, run, controllerRef } = useStreamReader<C>();
  const stop = useCallback(() => controllerRef.current?.abort(), [controllerRef]);
  const start = useCallback((type: string, data?: unknown) => run((signal) => client.stream<C>(type, data, { signal })),
    [client, run]);
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
export function useResumableStream<C = unknown>(key: string, { client: explicit }: { client?: Switchboard } = {}): UseResumableStreamResult<C> {
  const client = useClient(explicit);
  const { chunks, status, error, run, controllerRef } = useStreamReader<C>();
  const streamRef = useRef<ResumableStream<C> | null>(null);
  const follow = useCallback((open: () => ResumableStream<C>) => run((signal) => {
    const stream = open();
    streamRef.current = stream;
    signal.addEventListener('abort', () => streamRef.current === stream && stream.cancel(), { once: true });
    return stream;
  }), [run]);
  const start = useCallback((type: string, data?: unknown) => follow(() => client.request<C>(type, data, { resumable: true, persist: key })),
    [client, key, follow]);
  const stop = useCallback(() => streamRef.current?.cancel(), []);
  useEffect(() => {
    const saved = savedStream(key);
    if (saved) void follow(() => client.resume<C>(saved.stream, { persist: key }));
    return () => {
      streamRef.current = null; // leave the reply running: it is resumable
      controllerRef.current = null;
    };
  }, [client, key, follow, controllerRef]);
  return { chunks, status, error, start, stop, stream: streamRef.current };
}
