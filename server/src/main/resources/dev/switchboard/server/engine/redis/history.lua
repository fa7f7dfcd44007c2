-- Reads a channel's position and (optionally) retained publications in one consistent snapshot.
-- KEYS[1] meta hash, KEYS[2] stream
-- ARGV[1] epoch to use if the channel has none, ARGV[2] meta ttl ms, ARGV[3] history ttl ms (0 = none),
-- ARGV[4] since offset ('' = from the oldest retained), ARGV[5] limit (0 = position only, -1 = all),
-- ARGV[6] '1' = newest first
-- Returns {top, epoch, complete (1/0), entries} with entries as XRANGE returns them.
local m = redis.call('HMGET', KEYS[1], 'e', 't')
local epoch = m[1]
local top = tonumber(m[2])
if not epoch then
  -- Creating the counter here gives a subscriber to an empty channel the epoch its first messages will carry.
  epoch = ARGV[1]
  top = 0
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'e', epoch, 't', 0)
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
local limit = tonumber(ARGV[5])
local since = nil
if ARGV[4] ~= '' then since = tonumber(ARGV[4]) end
if limit == 0 and since == nil then
  return {top, epoch, 1, {}}
end
local ttl = tonumber(ARGV[3])
local cutoff = -1
if ttl > 0 then
  local t = redis.call('TIME')
  cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - ttl
end
-- The oldest retained offset: the first entry not older than the age limit.
local oldest = top + 1
local start = '-'
while true do
  local batch = redis.call('XRANGE', KEYS[2], start, '+', 'COUNT', 32)
  if #batch == 0 then break end
  local found = false
  for _, e in ipairs(batch) do
    if tonumber(e[2][4]) >= cutoff then
      oldest = tonumber(string.match(e[1], '^(%d+)'))
      found = true
      break
    end
  end
  if found then break end
  start = '(' .. batch[#batch][1]
end
local complete = 1
if since ~= nil and since + 1 < oldest and since < top then complete = 0 end
local from = oldest
if since ~= nil and since + 1 > from then from = since + 1 end
local entries = {}
if limit ~= 0 and from <= top then
  if ARGV[6] == '1' then
    if limit > 0 then
      entries = redis.call('XREVRANGE', KEYS[2], '+', from .. '-0', 'COUNT', limit)
    else
      entries = redis.call('XREVRANGE', KEYS[2], '+', from .. '-0')
    end
  else
    if limit > 0 then
      entries = redis.call('XRANGE', KEYS[2], from .. '-0', '+', 'COUNT', limit)
    else
      entries = redis.call('XRANGE', KEYS[2], from .. '-0', '+')
    end
  end
end
return {top, epoch, complete, entries}
