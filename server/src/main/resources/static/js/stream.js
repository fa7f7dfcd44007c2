// The streaming demo: one streamed request at a time. Plain: cancelled by an AbortController. Resumable: its
// stream is kept in sessionStorage, so a reload finds it and shows the whole answer again, then the rest live.
import { clientFor, rememberedName, showStatus } from './common.js';
import { savedStream } from '../sdk/index.js';

const $ = (id) => document.getElementById(id);
const user = new URLSearchParams(location.search).get('user') || rememberedName() || `guest-${Math.random().toString(36).slice(2, 7)}`;
const client = clientFor(user);
showStatus(client, $('status'));
client.connect().catch(() => {});

const KEY = 'demo-answer';
let current = null; // {stream, stop()}

// With --llm-upstream the gateway proxies an OpenAI-compatible model as llm.chat: offer it, and use it.
fetch('demo/features.json').then((r) => r.json()).then((features) => {
  if (!features.llm) return;
  const option = new Option(`the model (${features.llm})`, features.llm, true, true);
  $('mode').add(option);
  $('mode-row').hidden = false;
}).catch(() => {});

/** Shows `stream` (plain or resumable) chunk by chunk until its end. */
async function show(stream, stop, note = '') {
  current = { stream, stop };
  const output = $('output');
  output.textContent = '';
  output.classList.add('streaming');
  $('start').disabled = true;
  $('stop').disabled = false;
  $('stream-status').textContent = `${note}streaming…`;
  const started = performance.now();
  let words = 0;
  try {
    for await (const chunk of stream) {
      if (current?.stream !== stream) return;
      if (stream.stream) $('stream-id').textContent = `stream ${stream.stream}`;
      if (chunk?.usage !== undefined) { // llm.chat's last chunk: the bill, not text
        $('usage').textContent = chunk.usage ? `${chunk.usage.total_tokens} tokens` : '';
        continue;
      }
      output.textContent += chunk?.text ?? JSON.stringify(chunk);
      words += 1;
      $('stream-status').textContent = `${note}streaming… ${words} chunks`;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    $('stream-status').textContent = stream.endReason === 'cancelled'
      ? `stopped after ${words} chunks (${seconds} s): the server confirmed the cancel`
      : stream.endReason === 'complete' ? `${note}complete: ${words} chunks in ${seconds} s`
        : `ended: ${stream.endReason} after ${words} chunks`;
  } catch (err) {
    $('stream-status').textContent = `error: ${err.code} ${err.message}`;
  } finally {
    if (current?.stream === stream) {
      output.classList.remove('streaming');
      $('start').disabled = false;
      $('stop').disabled = true;
      $('stream-status').dataset.reason = stream.endReason;
    }
  }
}

$('ask').addEventListener('submit', (event) => {
  event.preventDefault();
  current?.stop();
  const type = $('mode').value;
  const data = type === 'demo.stream' ? { prompt: $('prompt').value } : { messages: [{ role: 'user', content: $('prompt').value }] };
  if ($('resumable').checked) {
    const stream = client.request(type, data, { resumable: true, persist: KEY });
    show(stream, () => stream.cancel());
  } else {
    const controller = new AbortController();
    show(client.stream(type, data, { signal: controller.signal }), () => controller.abort());
  }
});

$('stop').addEventListener('click', () => {
  $('stop').disabled = true;
  $('stream-status').textContent = 'cancelling…';
  current?.stop();
});

// A reload in the middle of a resumable answer: take it up again, from its start.
const saved = savedStream(KEY);
if (saved) {
  const stream = client.resume(saved.stream, { persist: KEY });
  show(stream, () => stream.cancel(), 'resumed after a reload: ');
}

window.switchboardDemo = { client };
