// The streaming page's model mode in real headless Chromium: a gateway started with --llm-upstream pointing
// at a loopback server that speaks the OpenAI chat-completions streaming format (SSE deltas, usage, [DONE]).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Gateway } from '../support/gateway.js';
import { launchChromium, openPage, screenshotPath } from '../support/browser.js';

let upstream;
let gateway;
let browser;
const prompts = [];

before(async () => {
  upstream = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = JSON.parse(body);
    prompts.push(request.messages[0].content);
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    for (const word of ['The', 'model', 'says', 'hello.']) {
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: `${word} ` } }] })}\n\n`);
    }
    res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  [gateway, browser] = await Promise.all([
    Gateway.start(['--llm-upstream', `http://127.0.0.1:${upstream.address().port}/v1`, '--llm-api-key', 'sk-test']),
    launchChromium(),
  ]);
});

after(async () => {
  await browser?.close();
  await gateway?.kill();
  upstream?.close();
});

test('with --llm-upstream the streaming page offers the model and streams its tokens', async () => {
  const page = await openPage(browser, `${gateway.http}/stream.html?user=modeller`);
  await page.waitForSelector('#status[data-state="connected"]');
  await page.waitForSelector('#mode-row:not([hidden])');
  assert.equal(await page.inputValue('#mode'), 'llm.chat');
  await page.fill('#prompt', 'say hello');
  await page.click('#start');
  await page.waitForSelector('#stream-status[data-reason="complete"]', { timeout: 10000 });
  assert.equal((await page.textContent('#output')).trim(), 'The model says hello.');
  assert.equal(await page.textContent('#usage'), '7 tokens');
  assert.deepEqual(prompts, ['say hello']);
  await page.screenshot({ path: screenshotPath('stream-llm.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
