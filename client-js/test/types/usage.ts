// Compiled with `tsc --noEmit` by test/unit/types.test.js: the declarations must describe real usage.
import { Switchboard, SwitchboardError, type ChannelMessage, type Welcome } from '@switchboard/client';
import { useChannel, useStream, useSwitchboard } from '@switchboard/client/react';

interface ChatLine { text: string }

async function main(): Promise<void> {
  const client = new Switchboard('ws://localhost:8080/ws', {
    getToken: async () => 'jwt',
    reconnect: { minDelay: 250, maxDelay: 10_000, factor: 2 },
  });
  client.on('disconnected', (e) => console.log(e.code, e.reason, e.willReconnect));
  const welcome: Welcome = await client.connect();
  const room = client.subscribe<ChatLine>('chat:lobby', { presence: true });
  room.on('message', (m: ChannelMessage<ChatLine>) => console.log(m.from, m.data.text, m.offset));
  room.on('subscribed', (e) => { if (e.recovered === false) console.log('missed messages'); });
  const ack = await room.publish({ text: 'hi' });
  const offset: number = ack.offset;
  const who = await client.presence('chat:lobby');
  who.users.forEach((u) => console.log(u.user, u.connections));
  await client.send('bob', { text: 'psst' });
  const page = await client.history<ChatLine>('chat:lobby', { since: offset - 5, limit: 10 });
  if (!page.complete) console.log('some were dropped');
  page.publications.forEach((p) => console.log(p.data.text));
  const controller = new AbortController();
  for await (const chunk of client.stream<{ text: string }>('demo.stream', { prompt: 'x' }, { signal: controller.signal })) {
    console.log(chunk.text);
  }
  try {
    await client.request('slow', {}, { timeout: 100 });
  } catch (e) {
    if (e instanceof SwitchboardError && e.code === 'timeout') console.log('timed out', welcome.user, offset);
  }
  client.close();
}

function ChatHooks(): string {
  const { client, state } = useSwitchboard('/ws', { getToken: () => 'jwt' });
  const { messages, members, publish } = useChannel<ChatLine>('chat:lobby', { client, history: 50 });
  const { chunks, status, start, stop } = useStream<{ text: string }>({ client });
  void publish({ text: 'hello' });
  void start('demo.stream', { prompt: 'hi' });
  stop();
  return `${state} ${messages.length} ${members.length} ${chunks.length} ${status}`;
}

void main;
void ChatHooks;

// one connection per browser: the same calls through the shared connection
import { SharedSwitchboard } from '@switchboard/client';
export async function sharedTab(): Promise<number> {
  const shared = new SharedSwitchboard('/ws', { getToken: async () => 'jwt', shared: 'auto' });
  const sub = shared.subscribe<{ text: string }>('chat:lobby');
  sub.on('message', (m) => console.log(m.data.text, m.offset));
  const reply = await shared.publish('chat:lobby', { text: 'hi' });
  return reply.offset + (shared.leading() ? 1 : 0);
}
