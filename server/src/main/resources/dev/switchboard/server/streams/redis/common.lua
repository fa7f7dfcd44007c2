-- Shared by every Durable Streams script (prepended to each). A stream at path P is three keys under the
-- base B (which carries one hash tag, so a stream and its fork chain share a slot):
--   B..'m:'..P  hash: ct ttl exp expms closed soft refs fsrc fpos fsub tail bytes seq cby last owner writer
--   B..'d:'..P  stream: one entry per message, ID '<end position>-0', field 'd' = the bytes
--   B..'p:'..P  hash: producer id -> '<epoch>:<last seq>'
-- and the store-wide B..'exp' (zset: path -> expiry ms), B..'count', B..'writers' (hash: writer -> streams),
-- and the Pub/Sub channel B..'tail' that announces every change of a stream (its path).
local B = ARGV[1]
local function mkey(p) return B .. 'm:' .. p end
local function dkey(p) return B .. 'd:' .. p end
local function pkey(p) return B .. 'p:' .. p end
local EXP = B .. 'exp'
local COUNT = B .. 'count'
local WRITERS = B .. 'writers'
local TAIL = B .. 'tail'

local function int(n) return string.format('%d', n) end

local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function load(p)
  local raw = redis.call('HGETALL', mkey(p))
  if #raw == 0 then return nil end
  local m = {}
  for i = 1, #raw, 2 do m[raw[i]] = raw[i + 1] end
  return m
end

local function media(ct)
  if ct == nil then return '' end
  local semi = string.find(ct, ';', 1, true)
  local t = semi and string.sub(ct, 1, semi - 1) or ct
  return string.lower((string.gsub(t, '^%s*(.-)%s*$', '%1')))
end

-- the earliest of the absolute expiry and the sliding one, or nil
local function expiry(m)
  local e = m.expms and tonumber(m.expms) or nil
  if m.ttl then
    local s = tonumber(m.last) + tonumber(m.ttl) * 1000
    if e == nil or s < e then e = s end
  end
  return e
end

local function remove(p, m)
  redis.call('DEL', mkey(p), dkey(p), pkey(p))
  redis.call('ZREM', EXP, p)
  redis.call('DECR', COUNT)
  if m.writer then
    if redis.call('HINCRBY', WRITERS, m.writer, -1) <= 0 then redis.call('HDEL', WRITERS, m.writer) end
  end
  redis.call('PUBLISH', TAIL, p)
  if m.fsrc then
    local s = load(m.fsrc)
    if s then
      local refs = redis.call('HINCRBY', mkey(m.fsrc), 'refs', -1)
      if refs <= 0 and s.soft == '1' then remove(m.fsrc, s) end
    end
  end
end

-- the stream unless expired; an expired one that forks still read becomes soft-deleted
local function live(p, t)
  local m = load(p)
  if not m then return nil end
  local e = expiry(m)
  if e ~= nil and t >= e then
    if tonumber(m.refs or '0') > 0 then
      if m.soft ~= '1' then
        redis.call('HSET', mkey(p), 'soft', '1')
        redis.call('ZREM', EXP, p)
        m.soft = '1'
      end
      return m
    end
    remove(p, m)
    return nil
  end
  return m
end

-- a read or a write renews a sliding TTL
local function touch(p, m, t)
  if m.ttl and m.soft ~= '1' then
    m.last = int(t)
    redis.call('HSET', mkey(p), 'last', m.last)
    redis.call('ZADD', EXP, expiry(m), p)
  end
end

local function state(m)
  return {m.ct or '', m.ttl or '', m.exp or '', m.closed or '0', m.soft or '0', m.tail or '0',
          m.fsrc or '', m.fpos or '0', m.fsub or '0', m.owner or ''}
end
