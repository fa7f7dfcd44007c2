// Type declarations for `@switchboard/client/react`.
import type { ReactNode, ReactElement } from 'react';
import type {
  ChannelMessage, ConnectionState, ResumableStream, DisconnectedEvent, Json, PresenceMember, PublishReply, RequestOptions,
  SubscribedEvent, Switchboard, SwitchboardError, SwitchboardOptions, Welcome,
} from './index.js';

/** Makes a client available to the hooks below it. */
export declare function SwitchboardProvider(props: { client: Switchboard; children?: ReactNode }): ReactElement;

export interface UseSwitchboardResult {
  client: Switchboard;
  state: ConnectionState;
  welcome: Welcome | null;
  lastDisconnect: DisconnectedEvent | null;
}

/** With a URL: a client owned by the component (connects on mount, closes on unmount); without: the provider's. */
export declare function useSwitchboard(url?: string, options?: SwitchboardOptions): UseSwitchboardResult;

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
  publish(data: D, options?: RequestOptions): Promise<PublishReply>;
}

/** Subscribes while mounted; returns the channel's messages and presence. */
export declare function useChannel<D = Json>(channel: string | null | undefined, options?: UseChannelOptions): UseChannelResult<D>;

/** `idle`, `streaming`, `complete`, `cancelled`, `error`, or another end reason of the gateway's (`timeout`, `producer_lost`). */
export type StreamStatus = 'idle' | 'streaming' | 'complete' | 'cancelled' | 'error' | 'timeout' | 'producer_lost' | (string & {});

export interface UseStreamResult<C = unknown> {
  chunks: C[];
  status: StreamStatus;
  error: SwitchboardError | Error | null;
  start(type: string, data?: unknown): Promise<void>;
  stop(): void;
}

/** A streamed request driven from a component; unmounting cancels it. */
export declare function useStream<C = unknown>(options?: { client?: Switchboard }): UseStreamResult<C>;

export interface UseResumableStreamResult<C = unknown> extends UseStreamResult<C> {
  /** The reply being read, once started or found again. */
  stream: ResumableStream<C> | null;
}

/**
 * A resumable request driven from a component, kept under `key` in sessionStorage: after a reload the hook
 * resumes it (the whole answer again, then live). Unmounting stops reading, not the reply; `stop()` cancels it.
 */
export declare function useResumableStream<C = unknown>(key: string, options?: { client?: Switchboard }): UseResumableStreamResult<C>;
