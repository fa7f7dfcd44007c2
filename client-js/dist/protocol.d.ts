/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | {
    [key: string]: Json;
};
/** A correlation id: a string of at most 128 characters (integers are accepted from clients and echoed as strings). */
export type Id = string;
/** A channel name: 1-255 characters, no whitespace or control characters. */
export type Channel = string;
/** Milliseconds since the epoch. */
export type Millis = number;
/** A channel offset: 1, 2, 3, ... per channel, no gap (0: nothing published yet). */
export type Offset = number;
/** The channel history's epoch; offsets of different epochs are not comparable. */
export type Epoch = string;
/** A user id, or null for anonymous. */
export type User = string | null;
/** A Durable Streams offset, 0000000000000000_NNNNNNNNNNNNNNNN. */
export type StreamOffset = string;
/** The code of an error frame. Handlers and backend hooks may answer codes of their own (lower-case words); these are the gateway's. */
export type ErrorCode = "bad_json" | "bad_envelope" | "unknown_type" | "bad_request" | "unauthorized" | "token_invalid" | "token_expired" | "forbidden" | "already_authenticated" | "rate_limited" | "limit_exceeded" | "too_large" | "not_found" | "unavailable" | "hook_failed" | "cancelled" | "internal" | (string & {});
/** A WebSocket close code the gateway sends (or an intermediary may). */
export type CloseCode = 1000 | 1001 | 1002 | 1007 | 1009 | 1011 | 1012 | 4000 | 4001 | 4003 | 4005 | 4008 | 4009 | 4029;
export interface ErrorInfo {
    code: ErrorCode;
    message: string;
}
/** Any client -> server frame: the envelope every type shares. */
export interface ClientEnvelope {
    id?: Id | number;
    type: string;
    data?: Json;
    /** W3C trace context: the handler's span continues that trace. */
    traceparent?: string;
    /** Asks for a resumable reply: its answer is written to a stream (replies/ID) first announced by a stream frame, and can be resumed from any node after a reconnect. */
    resumable?: boolean;
}
/** A client -> server frame whose data, for a built-in type, is that type's request. */
export type ClientFrame = (ClientEnvelope & {
    type: "auth";
    data?: AuthRequest;
}) | (ClientEnvelope & {
    type: "refresh";
    data?: RefreshRequest;
}) | (ClientEnvelope & {
    type: "subscribe";
    data: SubscribeRequest;
}) | (ClientEnvelope & {
    type: "unsubscribe";
    data: UnsubscribeRequest;
}) | (ClientEnvelope & {
    type: "publish";
    data: PublishRequest;
}) | (ClientEnvelope & {
    type: "send";
    data: SendRequest;
}) | (ClientEnvelope & {
    type: "broadcast";
    data: BroadcastRequest;
}) | (ClientEnvelope & {
    type: "presence";
    data: PresenceRequest;
}) | (ClientEnvelope & {
    type: "history";
    data: HistoryRequest;
}) | (ClientEnvelope & {
    type: "cancel";
    data: CancelRequest;
}) | (ClientEnvelope & {
    type: "resume";
    data: ResumeRequest;
}) | (ClientEnvelope & {
    type: Exclude<string, "auth" | "refresh" | "subscribe" | "unsubscribe" | "publish" | "send" | "broadcast" | "presence" | "history" | "cancel" | "resume">;
});
/** Authenticates the connection (token optional with a connect hook, which sees data). */
export interface AuthRequest {
    token?: string;
    data?: Json;
}
/** A new ticket for the same user. */
export interface RefreshRequest {
    token: string;
}
/** Subscribes; with since, recovers what was missed. */
export interface SubscribeRequest {
    channel: Channel;
    since?: Position;
    data?: Json;
}
export interface UnsubscribeRequest {
    channel: Channel;
}
export interface PublishRequest {
    channel: Channel;
    data: Json;
}
/** Delivered to every connection of the user, on every endpoint and node. */
export interface SendRequest {
    user: string;
    data: Json;
}
/** To every connection on this endpoint; needs the broadcast claim. */
export interface BroadcastRequest {
    data: Json;
    excludeSelf?: boolean;
}
export interface PresenceRequest {
    channel: Channel;
}
/** since is an integer offset here (not subscribe's {offset, epoch}); limit at most 1000, 0 = only the position. */
export interface HistoryRequest {
    channel: Channel;
    since?: Offset;
    limit?: number;
    reverse?: boolean;
}
/** Cancels the request with id re; it ends with end, reason cancelled. */
export interface CancelRequest {
    re: Id;
}
/** Follows a resumable reply or any readable Durable Stream from an offset. */
export interface ResumeRequest {
    stream: string;
    offset?: string;
}
/** Where a subscriber is: the last offset it processed in that epoch. */
export interface Position {
    offset: Offset;
    epoch: Epoch;
}
export interface AuthReply {
    connection: string;
    session: string;
    user: User;
    expiresAt?: Millis | null;
    data?: Json;
}
export interface RefreshReply {
    expiresAt: Millis;
}
/** recovered and publications only when since was given; data when a subscribe hook added it. */
export interface SubscribeReply {
    channel: Channel;
    offset: Offset;
    epoch: Epoch;
    recovered?: boolean;
    publications?: ChannelMessage[];
    data?: Json;
}
export interface UnsubscribeReply {
    channel: Channel;
}
export interface PublishReply {
    channel: Channel;
    offset: Offset;
    epoch: Epoch;
    ts: Millis;
}
export type SendReply = Record<string, never>;
export type BroadcastReply = Record<string, never>;
export interface PresenceReply {
    channel: Channel;
    users: PresenceUser[];
}
/** complete: false when publications after since were already dropped by retention. */
export interface HistoryReply {
    channel: Channel;
    offset: Offset;
    epoch: Epoch;
    complete: boolean;
    publications: ChannelMessage[];
}
export interface PresenceUser {
    user: string;
    connections: number;
}
/** Any server -> client frame, told apart by type. */
export type ServerFrame = WelcomeFrame | ReplyFrame | ErrorFrame | ChunkFrame | EndFrame | PongFrame | RefreshFrame | MessageFrame | PresenceFrame | StreamFrame | CloseFrame;
/** The connection has an identity: at once with a ticket or on an anonymous endpoint, else after auth. */
export interface WelcomeFrame {
    type: "welcome";
    connection: string;
    session: string;
    user: User;
    endpoint: string;
    node: string;
    ts: Millis;
    expiresAt?: Millis;
    /** The connect hook's data. */
    data?: Json;
}
/** The one answer to a request with an id. */
export interface ReplyFrame {
    type: "reply";
    re: Id;
    data?: Json;
}
/** A refused request (re), or a failure with no request to answer (no re). */
export interface ErrorFrame {
    type: "error";
    re?: Id;
    error: ErrorInfo;
    channel?: Channel;
    stream?: string;
    offset?: StreamOffset;
}
/** One piece of a streamed reply; stream and offset locate it in a resumable reply or a followed stream. */
export interface ChunkFrame {
    type: "chunk";
    re?: Id;
    data?: Json;
    stream?: string;
    offset?: StreamOffset;
}
/** The end of a streamed reply; reason cancelled, timeout, producer_lost, ... when it did not finish. */
export interface EndFrame {
    type: "end";
    re?: Id;
    reason?: string;
    stream?: string;
    offset?: StreamOffset;
}
/** The answer to ping. */
export interface PongFrame {
    type: "pong";
    re?: Id;
    ts: Millis;
}
/** The credential ended at expiresAt: send refresh before deadline or be closed with 4005. */
export interface RefreshFrame {
    type: "refresh";
    expiresAt: Millis;
    deadline: Millis;
}
export type MessageFrame = ChannelMessage | AddressedMessage;
/** A channel publication; from is null for anonymous publishers and the HTTP API unless it names one. */
export interface ChannelMessage {
    type: "message";
    channel: Channel;
    offset: Offset;
    epoch: Epoch;
    ts: Millis;
    from: User;
    data: Json;
}
/** Sent to a user (to), to everyone (broadcast), or to one connection or session (neither); no offset, no history. */
export interface AddressedMessage {
    type: "message";
    to?: string;
    broadcast?: true;
    ts: Millis;
    from: User;
    data: Json;
}
/** A user's first connection joined, or last one left, a presence channel. */
export interface PresenceFrame {
    type: "presence";
    channel: Channel;
    event: "join" | "leave";
    user: string;
    ts: Millis;
}
/** Either the first event of an SSE transport stream (connection, key), or where a resumable reply is stored (re, stream, offset). */
export type StreamFrame = {
    type: "stream";
    connection: string;
    key: string;
} | {
    type: "stream";
    re?: Id;
    stream: string;
    offset: StreamOffset;
};
/** SSE transport only: the server closed the connection with this code. */
export interface CloseFrame {
    type: "close";
    code: number;
    reason: string;
}
/** POSTed to --hook-connect-url when a connection opens and on every auth. */
export interface HookConnectRequest {
    connection: string;
    endpoint: string;
    transport: "websocket" | "sse";
    remoteAddr: string;
    headers: {
        [key: string]: string;
    };
    ticketClaims: {
        [key: string]: Json;
    } | null;
    data: Json;
}
/** {} leaves the decision to the ticket. */
export interface HookConnectAnswer {
    user?: string;
    expiresAt?: Millis;
    channels?: HookGrants;
    data?: Json;
    error?: ErrorInfo;
    disconnect?: HookDisconnect;
}
/** POSTed to --hook-refresh-url when a credential expires. */
export interface HookRefreshRequest {
    connection: string;
    user: User;
    endpoint: string;
    claims: {
        [key: string]: Json;
    } | null;
    expiresAt: Millis;
}
/** {} (or a failure) asks the client. */
export interface HookRefreshAnswer {
    expiresAt?: Millis;
    channels?: HookGrants;
    expired?: boolean;
    reason?: string;
}
/** POSTed to --hook-subscribe-url / --hook-publish-url: data is the publication, or the subscribe request's data. */
export interface HookChannelRequest {
    connection: string;
    user: User;
    endpoint: string;
    channel: Channel;
    claims: {
        [key: string]: Json;
    } | null;
    data: Json;
}
/** {} allows; data replaces a publication (or joins the subscribe reply). */
export interface HookChannelAnswer {
    data?: Json;
    error?: ErrorInfo;
    disconnect?: HookDisconnect;
}
/** POSTed to --hook-rpc-url for a type without an in-process handler. */
export interface HookRpcRequest {
    connection: string;
    user: User;
    endpoint: string;
    type: string;
    id?: Id;
    claims: {
        [key: string]: Json;
    } | null;
    data: Json;
}
/** A whole (application/json) RPC answer; NDJSON and SSE answers are chunks. */
export interface HookRpcAnswer {
    data?: Json;
    error?: ErrorInfo;
}
export interface HookGrants {
    subscribe?: string[];
    publish?: string[];
    broadcast?: boolean;
}
export interface HookDisconnect {
    code: number;
    reason?: string;
}
