-- Presence of one channel across nodes. Each connection entry has an expiry that its node renews; entries
-- of a node that stopped renewing (crashed) are dropped by whichever call comes next.
-- KEYS[1] hash conn -> user, KEYS[2] zset conn -> expiry ms, KEYS[3] hash user -> connection count,
-- KEYS[4] hash user -> info (JSON, what a joining connection said about its user; kept while the user is present)
-- KEYS[5] hash user -> when their first connection was written (ms), KEYS[6] zset user -> when a leave removed
-- their last one (kept ten TTLs): what a node whose call timed out (yet ran) asks about with 'recheck'
-- ARGV[1] op: join | leave | list | refresh | recheck; ARGV[2] ttl ms; then op arguments:
--   join: conn, user, info ('' = none) -> 1 if the user's first connection
--   leave: conn -> 1 if the user's last connection
--   list: -> {flat {user, count, ...}, flat {user, info, ...}}
--   refresh: conn, user, info, conn, user, info, ... -> users whose first connection this wrote (their entries had
--            expired while this node could not renew them, or their join never got here): their "join"
--   recheck: since, n, user x n (this node's users), users whose leave timed out ... -> {joined, left}: the users
--            of the first list first written after since, those of the second whose last leave ran after since
-- Every op returns {result, expired, now} where expired lists the users whose last connection just expired
-- (their node stopped renewing): the caller announces their "leave", so exactly one node does.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])

local function drop(conn)
  local user = redis.call('HGET', KEYS[1], conn)
  redis.call('ZREM', KEYS[2], conn)
  if not user then return nil end
  redis.call('HDEL', KEYS[1], conn)
  if redis.call('HINCRBY', KEYS[3], user, -1) <= 0 then
    redis.call('HDEL', KEYS[3], user)
    redis.call('HDEL', KEYS[4], user)
    redis.call('HDEL', KEYS[5], user)
    return true
  end
  return false
end

local function add(conn, user, info)
  redis.call('ZADD', KEYS[2], now + ttl, conn)
  if info and info ~= '' then redis.call('HSET', KEYS[4], user, info) end
  if redis.call('HSETNX', KEYS[1], conn, user) == 1 and redis.call('HINCRBY', KEYS[3], user, 1) == 1 then
    redis.call('HSET', KEYS[5], user, now)
    redis.call('ZREM', KEYS[6], user)
    return true
  end
  return false
end

local function touch()
  -- kept well past the entries' own expiry, so that a sweep finds a dead node's entries before the keys go
  for i = 1, 6 do redis.call('PEXPIRE', KEYS[i], ttl * 4) end
end

local expired = {}
for _, conn in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  local user = redis.call('HGET', KEYS[1], conn)
  if drop(conn) then table.insert(expired, user) end
end

local op = ARGV[1]
if op == 'join' then
  local first = add(ARGV[3], ARGV[4], ARGV[5])
  touch()
  if first then return {1, expired, now} else return {0, expired, now} end
elseif op == 'leave' then
  local user = redis.call('HGET', KEYS[1], ARGV[3])
  local last = drop(ARGV[3])
  if last then
    redis.call('ZADD', KEYS[6], now, user)
    redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now - 10 * ttl)
    touch()
    return {1, expired, now}
  end
  return {0, expired, now}
elseif op == 'recheck' then
  local since = tonumber(ARGV[3])
  local n = tonumber(ARGV[4])
  local joined, left = {}, {}
  for i = 5, 4 + n do
    local at = tonumber(redis.call('HGET', KEYS[5], ARGV[i]))
    if at and at > since then table.insert(joined, ARGV[i]) end
  end
  for i = 5 + n, #ARGV do
    local at = tonumber(redis.call('ZSCORE', KEYS[6], ARGV[i]))
    if at and at > since then table.insert(left, ARGV[i]) end
  end
  return {{joined, left}, expired, now}
elseif op == 'refresh' then
  local restored = {}
  for i = 3, #ARGV, 3 do
    if add(ARGV[i], ARGV[i + 1], ARGV[i + 2]) then table.insert(restored, ARGV[i + 1]) end
  end
  touch()
  return {restored, expired, now}
else
  return {{redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4])}, expired, now}
end
