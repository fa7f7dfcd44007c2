// The streaming demo: one streamed request at a time, cancelled by an AbortController.
import { clientFor, rememberedName, showStatus } from './common.js';

const $ = (id) => document.getElementById(id);
const user = new URLSearchParams(location.search).get('user') || rememberedName() || `guest-${Math.random().toString(36).slice(2, 7)}`;
const client = clientFor(user);
showStatus(client, $('status'));
client.connect().catch(() => {});

let controller = null;

// With --llm-upstream the gateway proxies an OpenAI-compatible model as llm.chat: offer it, and use it.
fetch('demo/features.json').then((r) => r.json()).then((features) => {
  if (!features.llm) return;
  const option = new Option(`the model (${features.llm})`, features.llm, true, true);
  $('mode').add(option);
  $('mode-row').hidden = false;
}).catch(() => {});

$('ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  controller?.abort();
  const mine = (controller = new AbortController());
  const output = $('output');
  output.textContent = '';
  output.classList.add('streaming');
  $('start').disabled = true;
  $('stop').disabled = false;
  $('stream-status').textContent = 'streaming…';
  const started = performance.now();
  let words = 0;
  const type = $('mode').value;
  const data = type === 'demo.stream' ? { prompt: $('prompt').value } : { messages: [{ role: 'user', content: $('prompt').value }] };
  const stream = client.stream(type, data, { signal: mine.signal });
  try {
    for await (const chunk of stream) {
      if (chunk?.usage !== undefined) { // llm.chat's last chunk: the bill, not text
        $('usage').textContent = chunk.usage ? `${chunk.usage.total_tokens} tokens` : '';
        continue;
      }
      output.textContent += chunk?.text ?? JSON.stringify(chunk);
      words += 1;
      $('stream-status').textContent = `streaming… ${words} chunks`;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    $('stream-status').textContent = stream.endReason === 'cancelled'
      ? `stopped after ${words} chunks (${seconds} s): the server confirmed the cancel`
      : `complete: ${words} chunks in ${seconds} s`;
  } catch (err) {
    $('stream-status').textContent = `error: ${err.code} ${err.message}`;
  } finally {
    if (controller === mine) {
      output.classList.remove('streaming');
      $('start').disabled = false;
      $('stop').disabled = true;
      $('stream-status').dataset.reason = stream.endReason;
    }
  }
});

$('stop').addEventListener('click', () => {
  $('stop').disabled = true;
  $('stream-status').textContent = 'cancelling…';
  controller?.abort();
});

window.switchboardDemo = { client };
