-- Assigns the next offset of a channel, stores the publication and fans it out, atomically.
-- KEYS[1] meta hash (e = epoch, t = top offset), KEYS[2] stream, KEYS[3] Pub/Sub (shard) channel
-- ARGV[1] body (JSON {"f":from,"d":data}), ARGV[2] history size, ARGV[3] history ttl ms (0 = none),
-- ARGV[4] meta ttl ms, ARGV[5] epoch to use if the channel has none, ARGV[6] PUBLISH or SPUBLISH,
-- ARGV[7] idempotency window ms (0 = no key); KEYS[4] the idempotency key (same slot as the channel)
-- Returns {offset, epoch, ts, replayed}: replayed = 1 when the key was seen within the window, and then
-- nothing was stored or published and the first publication's offset, epoch and ts are returned.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[7])
if window > 0 then
  local seen = redis.call('GET', KEYS[4])
  if seen then
    local a = string.find(seen, '\n', 1, true)
    local b = string.find(seen, '\n', a + 1, true)
    return {tonumber(string.sub(seen, 1, a - 1)), string.sub(seen, a + 1, b - 1), tonumber(string.sub(seen, b + 1)), 1}
  end
end
local epoch = redis.call('HGET', KEYS[1], 'e')
if not epoch then
  -- The counter is gone (first use, expiry, flush, restart without persistence): any stream left over
  -- belongs to an older epoch and must not be mixed with the new offsets.
  epoch = ARGV[5]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'e', epoch, 't', 0)
end
local top = redis.call('HINCRBY', KEYS[1], 't', 1)
local size = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local metaTtl = tonumber(ARGV[4])
if size > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', size, top .. '-0', 'b', ARGV[1], 't', now)
  if ttl > 0 then
    -- Trim by age: find the oldest entry young enough to keep. Trimming on every publish keeps the expired
    -- prefix short, so this loop is amortised O(1).
    local cutoff = now - ttl
    local start = '-'
    local keep = nil
    while keep == nil do
      local batch = redis.call('XRANGE', KEYS[2], start, '+', 'COUNT', 32)
      if #batch == 0 then break end
      for _, e in ipairs(batch) do
        if tonumber(e[2][4]) >= cutoff then keep = e[1]; break end
      end
      if keep == nil then start = '(' .. batch[#batch][1] end
    end
    if keep ~= nil then redis.call('XTRIM', KEYS[2], 'MINID', keep) end
    redis.call('PEXPIRE', KEYS[2], ttl)
  else
    redis.call('PEXPIRE', KEYS[2], metaTtl)
  end
end
redis.call('PEXPIRE', KEYS[1], metaTtl)
redis.call(ARGV[6], KEYS[3], top .. '\n' .. epoch .. '\n' .. now .. '\n' .. ARGV[1])
if window > 0 then
  redis.call('SET', KEYS[4], top .. '\n' .. epoch .. '\n' .. now, 'PX', window)
end
return {top, epoch, now, 0}
