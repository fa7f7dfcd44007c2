/** Switchboard client SDK: dependency-free ES modules for browsers and Node 20+. */
export { Switchboard } from './client.js';
export { Subscription } from './subscription.js';
export { ReplyStream } from './stream.js';
export { ResumableStream, savedStream } from './resumable.js';
export { Backoff } from './backoff.js';
export { Emitter } from './emitter.js';
export { SwitchboardError, TERMINAL_CLOSE_CODES } from './errors.js';
export { SharedSwitchboard, sharingMode } from './shared/shared.js';
export { RemoteSubscription } from './shared/remote.js';
