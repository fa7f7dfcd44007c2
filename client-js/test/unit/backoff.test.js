import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../dist/index.js';

test('full jitter: each delay is uniform in [0, min(max, min*factor^n))', () => {
  const backoff = new Backoff({ minDelay: 100, maxDelay: 1000, factor: 2, random: () => 0.999999 });
  const delays = Array.from({ length: 7 }, () => backoff.next());
  assert.deepEqual(delays, [99, 199, 399, 799, 999, 999, 999]);
  const low = new Backoff({ minDelay: 100, maxDelay: 1000, random: () => 0 });
  assert.deepEqual([low.next(), low.next(), low.next()], [0, 0, 0]);
});

test('reset starts the next outage from the smallest window', () => {
  const backoff = new Backoff({ minDelay: 50, maxDelay: 5000, factor: 3, random: () => 0.5 });
  backoff.next();
  backoff.next();
  backoff.next();
  backoff.reset();
  assert.equal(backoff.next(), 25);
});

test('a long outage does not overflow the window', () => {
  const backoff = new Backoff({ minDelay: 1, maxDelay: 30000, factor: 10, random: () => 0.5 });
  for (let i = 0; i < 1000; i++) backoff.next();
  assert.equal(backoff.next(), 15000);
});

test('real randomness spreads a herd over the window', () => {
  const delays = Array.from({ length: 2000 }, () => new Backoff({ minDelay: 1000, maxDelay: 1000 }).next());
  const buckets = [0, 0, 0, 0];
  for (const d of delays) buckets[Math.floor(d / 250)]++;
  for (const count of buckets) assert.ok(count > 350 && count < 650, `uneven spread ${buckets}`);
});

test('bad settings are refused', () => {
  assert.throws(() => new Backoff({ minDelay: 0 }), RangeError);
  assert.throws(() => new Backoff({ minDelay: 100, maxDelay: 10 }), RangeError);
  assert.throws(() => new Backoff({ factor: 0.5 }), RangeError);
});
