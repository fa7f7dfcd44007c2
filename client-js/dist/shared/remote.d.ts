import { ChannelHandle } from '../channel-handle.js';
import { Emitter } from '../emitter.js';
import { ReplyStream } from '../stream.js';
import { ResumableStream } from '../resumable.js';
import type * as Wire from '../protocol.js';
import type { ConnectionState, HistoryQuery, HistoryReply, Json, PingReply, PresenceMember, RequestOptions, ResumeOptions, StreamOptions, StreamPosition, SubscribeOptions, SwitchboardEvents, SwitchboardOptions, Welcome } from '../types.js';
import type { HubConfig, Link, SubEventKind } from './messages.js';
/**
 * One tab's subscription to a channel through the shared connection: the same events and methods as a
 * Subscription. It keeps its own position, so after a hand-over (the leader tab closed) or a reload it asks
 * the hub for what it missed since then, and it drops any publication it has already seen.
 */
export declare class RemoteSubscription<D = Json> extends ChannelHandle<D> {
    readonly client: RemoteClient;
    readonly id: number;
    readonly channel: string;
    readonly trackPresence: boolean;
    position: StreamPosition | null;
    active: boolean;
    closed: boolean;
    /** user id → number of connections, when `presence: true`. */
    members: Map<string, number>;
    constructor(client: RemoteClient, id: number, channel: string, options: SubscribeOptions);
    /** Presence list as an array of `{user, connections}`, sorted by user id (with `presence: true`). */
    get memberList(): PresenceMember[];
    unsubscribe(): Promise<void>;
    /** @internal what the hub sends about this subscription */
    _event(kind: SubEventKind, data: unknown): void;
}
/**
 * The tab's side of a shared connection: Switchboard's API (connect, state, subscribe, request, stream,
 * publish, send, broadcast, presence, history, ping, events), carried over a `link` to the hub that owns the
 * one socket. The link is a SharedWorker's port or the leader tab's BroadcastChannel.
 */
export declare class RemoteClient extends Emitter<SwitchboardEvents> {
    #private;
    state: ConnectionState;
    welcome: Welcome | null;
    /**
     * @param link `{peer, post(message), onMessage(handler), close()}`
     * @param config `{url, options}`: what the hub needs to open the connection (structured-clonable)
     */
    constructor(link: Link, config: HubConfig, { token, getToken, beatInterval }?: SwitchboardOptions & {
        beatInterval?: number;
    });
    get user(): string | null;
    /** A `frame` listener asks the hub for this tab's share of the frames (only tabs that listen get them). */
    on<K extends keyof SwitchboardEvents>(event: K, listener: (value: SwitchboardEvents[K]) => void): () => void;
    /** The last `frame` listener gone, the hub stops sending this tab the socket's frames. */
    off<K extends keyof SwitchboardEvents>(event: K, listener: (value: SwitchboardEvents[K]) => void): void;
    /**
     * Writes a text frame as it is on the shared socket (a debugging tool, as on a Switchboard): true when the
     * socket was up as far as this tab knows; the hub writes it if it still is.
     */
    sendRaw(text: string): boolean;
    get subscriptions(): Map<string, RemoteSubscription<unknown>>;
    /** Resolves with the welcome of the shared connection (at once when it is up). */
    connect(): Promise<Welcome>;
    /** Leaves: this tab's subscriptions and streams end; the connection stays for the other tabs. */
    close(): void;
    subscribe<D = Json>(channel: string, options?: SubscribeOptions): RemoteSubscription<D>;
    request<C = unknown>(type: string, data: unknown, options: RequestOptions & StreamOptions & {
        resumable: true;
    }): ResumableStream<C>;
    request<R = unknown>(type: string, data?: unknown, options?: RequestOptions): Promise<R>;
    publish(channel: string, data: unknown, options?: RequestOptions): Promise<Wire.PublishReply>;
    send(user: string, data: unknown, options?: RequestOptions): Promise<Wire.SendReply>;
    broadcast(data: unknown, options?: RequestOptions & {
        excludeSelf?: boolean;
    }): Promise<Wire.BroadcastReply>;
    presence(channel: string, options?: RequestOptions): Promise<Wire.PresenceReply>;
    history<D = Json>(channel: string, query?: HistoryQuery, options?: RequestOptions): Promise<HistoryReply<D>>;
    ping(options?: RequestOptions): Promise<PingReply>;
    stream<C = unknown>(type: string, data: unknown, options: StreamOptions & {
        resumable: true;
    }): ResumableStream<C>;
    stream<C = unknown>(type: string, data?: unknown, options?: StreamOptions): ReplyStream<C>;
    /** Follows a stream (`replies/ID`, or any readable Durable Stream) from `offset` (`'-1'`): a ResumableStream. */
    resume<C = unknown>(stream: string, { offset, persist, signal }?: ResumeOptions): ResumableStream<C>;
    /** @internal */
    _unsubscribe(sub: RemoteSubscription<unknown>): void;
    /** The hub changed (a new leader): introduce this tab again, with its subscriptions and their positions. */
    rejoin(): void;
}
