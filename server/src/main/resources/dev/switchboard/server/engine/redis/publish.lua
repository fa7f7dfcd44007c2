-- Assigns the next offsets of a channel, stores the publications and fans them out, atomically: one or
-- many publications of one channel, in order (a single publish is a batch of one).
-- KEYS[1] meta hash (e = epoch, t = top offset), KEYS[2] stream, KEYS[3] Pub/Sub (shard) channel,
-- KEYS[3 + i] the idempotency key of publication i (same slot as the channel; a placeholder when it has none),
-- last KEYS[#KEYS] the channel's key index (sorted set: key name by time), which bounds how many keys it holds
-- ARGV[1] history size, ARGV[2] history ttl ms (0 = none), ARGV[3] meta ttl ms, ARGV[4] epoch to use if the
-- channel has none, ARGV[5] PUBLISH or SPUBLISH, ARGV[6] idempotency window ms, ARGV[7] keys a channel holds
-- at most (the oldest are deleted first), then per publication i: ARGV[5 + 3i] body (JSON {"f":from,"d":data}),
-- ARGV[6 + 3i] '1' when it has a key, ARGV[7 + 3i] its producer sequence, "number\nproducer" (empty: none)
-- Returns {offset, epoch, ts, replayed} per publication, flattened: replayed = 1 when its key was seen
-- within the window, or its sequence number is not above its producer's last in this channel (the fence,
-- field 'q:<producer>' of the meta hash = "number\noffset\nepoch\nts", living as long as the counter); then
-- nothing was stored or published for it and the first (or the producer's last) publication's offset, epoch
-- and ts are returned.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local size = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local metaTtl = tonumber(ARGV[3])
local window = tonumber(ARGV[6])
local maxKeys = tonumber(ARGV[7])
local index = KEYS[#KEYS]
local keyedAny = false
local epoch = redis.call('HGET', KEYS[1], 'e')
if not epoch then
  -- The counter is gone (first use, expiry, flush, restart without persistence): any stream left over
  -- belongs to an older epoch and must not be mixed with the new offsets.
  epoch = ARGV[4]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'e', epoch, 't', 0)
end
local out = {}
local stored = false
for i = 1, (#ARGV - 7) / 3 do
  local body = ARGV[5 + 3 * i]
  local keyed = window > 0 and ARGV[6 + 3 * i] == '1'
  local sequence = ARGV[7 + 3 * i]
  local number, digits, fenceField
  local seen = nil
  if sequence ~= '' then
    local nl = string.find(sequence, '\n', 1, true)
    digits = string.sub(sequence, 1, nl - 1) -- stored as given: Lua would print a large number as 1.2e+14
    number = tonumber(digits)
    fenceField = 'q:' .. string.sub(sequence, nl + 1)
    local fence = redis.call('HGET', KEYS[1], fenceField)
    if fence then
      local f = string.find(fence, '\n', 1, true)
      if number <= tonumber(string.sub(fence, 1, f - 1)) then seen = string.sub(fence, f + 1) end
    end
  end
  if not seen and keyed then seen = redis.call('GET', KEYS[3 + i]) end
  if seen then
    local a = string.find(seen, '\n', 1, true)
    local b = string.find(seen, '\n', a + 1, true)
    out[#out + 1] = tonumber(string.sub(seen, 1, a - 1))
    out[#out + 1] = string.sub(seen, a + 1, b - 1)
    out[#out + 1] = tonumber(string.sub(seen, b + 1))
    out[#out + 1] = 1
  else
    local top = redis.call('HINCRBY', KEYS[1], 't', 1)
    if size > 0 then
      redis.call('XADD', KEYS[2], 'MAXLEN', size, top .. '-0', 'b', body, 't', now)
      stored = true
    end
    redis.call(ARGV[5], KEYS[3], top .. '\n' .. epoch .. '\n' .. now .. '\n' .. body)
    if keyed then
      redis.call('SET', KEYS[3 + i], top .. '\n' .. epoch .. '\n' .. now, 'PX', window)
      redis.call('ZADD', index, now, KEYS[3 + i])
      keyedAny = true
    end
    if fenceField then
      redis.call('HSET', KEYS[1], fenceField, digits .. '\n' .. top .. '\n' .. epoch .. '\n' .. now)
    end
    out[#out + 1] = top
    out[#out + 1] = epoch
    out[#out + 1] = now
    out[#out + 1] = 0
  end
end
if stored then
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
if keyedAny then
  -- Members whose keys have expired go; past the bound the oldest keys are deleted, so a backend sending a
  -- fresh key with every publication cannot fill Redis for the whole window. The deleted names are not in
  -- KEYS, but they carry the channel's hash tag: the same slot as every key above, also in a cluster.
  redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. (now - window))
  local excess = redis.call('ZCARD', index) - maxKeys
  if excess > 0 then
    local gone = redis.call('ZPOPMIN', index, excess)
    for j = 1, #gone, 2 do redis.call('DEL', gone[j]) end
  end
  redis.call('PEXPIRE', index, window)
end
redis.call('PEXPIRE', KEYS[1], metaTtl)
return out
