// A loopback server speaking OpenAI's chat-completions streaming format (SSE deltas, then usage and [DONE]),
// for gateways started with --llm-upstream. It answers `words` one by one, `delay` ms apart, and records
// every request and whether the gateway aborted it before the end (a cancel reaching the upstream).
import http from 'node:http';

export async function startLlmUpstream({ words = ['The', 'model', 'says', 'hello.'], delay = 0 } = {}) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const record = { prompt: JSON.parse(body).messages?.[0]?.content, aborted: false, sent: 0 };
    requests.push(record);
    res.on('close', () => {
      if (!res.writableEnded) record.aborted = true;
    });
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    for (const word of words) {
      if (record.aborted) return;
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: `${word} ` } }] })}\n\n`);
      record.sent += 1;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
    res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: words.length, total_tokens: words.length + 3 } })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    requests,
    args: ['--llm-upstream', `http://127.0.0.1:${server.address().port}/v1`, '--llm-api-key', 'sk-test'],
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The text of `llm.chat` chunks (`{delta}` frames), in order. */
export function textOf(chunks) {
  return chunks.map((c) => c.delta ?? c.text ?? '').join('');
}
