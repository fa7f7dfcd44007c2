/**
 * An in-process stand-in for the WebSocket class, driven by the test as if it were the gateway. Used by
 * the unit tests for orderings a real server produces only by chance (a live message overtaking a
 * subscribe reply, a socket that never answers a ping).
 */
export function fakeSocketClass() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url) {
      this.url = new URL(url);
      this.readyState = 0;
      this.sent = [];
      this.onmessage = this.onclose = this.onerror = null;
      sockets.push(this);
      FakeWebSocket.onCreate?.(this);
    }
    send(text) {
      if (this.readyState !== 1) throw new Error('not open');
      if (text === 'ping') {
        this.pings = (this.pings || 0) + 1;
        FakeWebSocket.onPing?.(this);
        return;
      }
      this.sent.push(JSON.parse(text));
      FakeWebSocket.onSend?.(this, JSON.parse(text));
    }
    close(code = 1005, reason = '') {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      this.closedByClient = { code, reason };
      queueMicrotask(() => this.onclose?.({ code, reason }));
    }
    // ---- the "gateway" side ----
    accept(user = 'alice') {
      this.readyState = 1;
      this.push({ type: 'welcome', connection: `c${sockets.indexOf(this)}`, session: 's', user, endpoint: '/ws', node: 'n1', ts: Date.now() });
    }
    pong() {
      this.onmessage?.({ data: 'pong' });
    }
    push(frame) {
      this.onmessage?.({ data: JSON.stringify(frame) });
    }
    reply(request, data) {
      this.push({ type: 'reply', re: request.id, data });
    }
    drop(code = 1006, reason = '') {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }
    last(type) {
      return this.sent.filter((f) => f.type === type).at(-1);
    }
  }
  FakeWebSocket.sockets = sockets;
  return FakeWebSocket;
}

/** Polls `condition` every 5 ms until it is truthy or `timeout` ms pass. */
export async function until(condition, timeout = 2000, what = 'condition') {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
