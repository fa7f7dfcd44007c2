// Compile-time checks that the SDK's hand-shaped views agree with the generated protocol types: a schema
// change that breaks a view fails `tsc` here (test/unit/types.test.js).
import type { ChannelMessage, HistoryReply, Message, PresenceEvent, Welcome } from '@switchboard/client';
import type { AddressedMessage, ChannelMessage as WireChannelMessage, MessageFrame, ServerFrame } from '@switchboard/client';

declare const frame: MessageFrame;
export const asMessage: Message = frame; // every message frame is a Message
declare const channelFrame: WireChannelMessage;
export const asChannelMessage: ChannelMessage = channelFrame;
declare const addressed: AddressedMessage;
export const addressedHasNoOffset: undefined = (addressed as Message).offset as undefined;
declare const history: HistoryReply<{ text: string }>;
export const firstText: string | undefined = history.publications[0]?.data.text;
declare const server: ServerFrame;
export function kind(f: ServerFrame): string {
  switch (f.type) {
    case 'welcome': return (f satisfies Welcome).node;
    case 'presence': return (f satisfies PresenceEvent).event;
    case 'error': return f.error.code;
    default: return f.type;
  }
}
export const sample = kind(server);
