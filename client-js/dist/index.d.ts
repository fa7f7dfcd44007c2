/** Switchboard client SDK: dependency-free ES modules for browsers and Node 20+. */
export { Switchboard } from './client.js';
export { Subscription } from './subscription.js';
export { ReplyStream } from './stream.js';
export { ResumableStream, savedStream } from './resumable.js';
export type { SavedStream } from './resumable.js';
export { Backoff } from './backoff.js';
export type { ReconnectOptions } from './backoff.js';
export { Emitter } from './emitter.js';
export type { Listener } from './emitter.js';
export { SwitchboardError, TERMINAL_CLOSE_CODES } from './errors.js';
export type { ClientErrorCode } from './errors.js';
export { SharedSwitchboard, sharingMode } from './shared/shared.js';
export type { SharedSwitchboardOptions } from './shared/shared.js';
export { RemoteSubscription } from './shared/remote.js';
export type * from './protocol.js';
export type { ChannelMessage, ConnectingEvent, ConnectionState, DisconnectedEvent, FrameEvent, HistoryQuery, HistoryReply, Json, Message, PingReply, PresenceEvent, PresenceMember, RequestOptions, ResumeOptions, StreamOptions, StreamPosition, SubscribeOptions, SubscribedEvent, SubscriptionEvents, SwitchboardEvents, SwitchboardOptions, WebSocketConstructor, WebSocketLike, Welcome, } from './types.js';
