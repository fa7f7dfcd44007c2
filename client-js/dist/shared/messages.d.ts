import type { ConnectingEvent, DisconnectedEvent, FrameEvent, StreamPosition, SwitchboardOptions, Welcome } from '../types.js';
/** What the hub needs to open the connection: the first tab's URL and its clonable options. */
export interface HubConfig {
    url: string;
    options: SwitchboardOptions;
}
/** An error as it crosses: code and message. */
export interface ErrorData {
    code: string;
    message: string;
}
/** The methods a tab may call on the shared client. */
export type CallMethod = 'request' | 'publish' | 'send' | 'broadcast' | 'presence' | 'history' | 'ping';
/** Tab → hub. */
export type PeerMessage = {
    peer: string;
} & ({
    op: 'hello';
    config: HubConfig;
} | {
    op: 'beat';
} | {
    op: 'bye';
} | {
    op: 'subscribe';
    sub: number;
    channel: string;
    since: StreamPosition | null;
    presence: boolean;
} | {
    op: 'unsubscribe';
    sub: number;
    channel: string;
} | {
    op: 'call';
    call: number;
    method: CallMethod;
    args: unknown[];
} | {
    op: 'stream';
    call: number;
    type: string;
    data: unknown;
    resumable?: boolean;
    resume?: StreamAt;
} | {
    op: 'cancel';
    call: number;
} | {
    op: 'token';
    ask: number;
    token?: string;
    error?: string;
} | {
    op: 'frames';
    on: boolean;
} | {
    op: 'raw';
    text: string;
});
/** Where a resumable reply (or a followed stream) is: its stream and the offset after the last frame. */
export interface StreamAt {
    stream: string;
    offset: string;
}
/** What a subscription event carries to a tab. */
export type SubEventKind = 'subscribed' | 'message' | 'presence' | 'members' | 'error';
/** Hub → tab. */
export type HubEvent = {
    ev: 'state';
    state: 'connecting' | 'connected' | 'disconnected';
    welcome: Welcome | null;
} | {
    ev: 'message';
    message: unknown;
} | {
    ev: 'sub';
    sub: number;
    kind: SubEventKind;
    value: unknown;
} | {
    ev: 'result';
    call: number;
    ok: true;
    value: unknown;
} | {
    ev: 'result';
    call: number;
    ok: false;
    error: ErrorData;
} | {
    ev: 'chunk';
    call: number;
    value: unknown;
    at?: StreamAt;
} | {
    ev: 'end';
    call: number;
    reason: string | null;
    error?: ErrorData;
    at?: StreamAt;
} | {
    ev: 'ask';
    ask: number;
} | {
    ev: 'connecting';
    value: ConnectingEvent;
} | {
    ev: 'disconnected';
    value: Omit<DisconnectedEvent, 'error'> & {
        error?: ErrorData;
    };
} | {
    ev: 'refreshed';
    value: {
        expiresAt: number;
    };
} | {
    ev: 'frame';
    value: FrameEvent;
};
/** A tab's way to the hub. */
export interface Link {
    readonly peer: string;
    /** Whether this tab holds the connection (leader mode). */
    leading(): boolean;
    post(message: PeerMessage): void;
    onMessage(handler: (event: HubEvent) => void): void;
    close(): void;
}
