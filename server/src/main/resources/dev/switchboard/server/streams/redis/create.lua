-- ARGV: base, path, content type ('' = the source's, for a fork), ttl (''), expires-at (''), its ms (''),
-- closed (1/0), owner (''), writer (''), fork source (''), fork position (-1 = the source's tail),
-- fork sub-offset, max streams, max per writer, max stream bytes, then the messages to store (a fork's
-- inherited prefix first, then the initial body), each an argument.
-- Returns {outcome, state...}.
local p = ARGV[2]
local ct, ttl, exp, expms = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local closedReq, owner, writer = ARGV[7], ARGV[8], ARGV[9]
local fsrc, fposReq, fsub = ARGV[10], tonumber(ARGV[11]), ARGV[12]
local t = now()
local existing = live(p, t)
if existing then
  if existing.soft == '1' then return {'CONFLICT'} end
  local wantCt = ct ~= '' and ct or (fsrc ~= '' and existing.ct or 'application/octet-stream')
  local same = media(wantCt) == media(existing.ct)
      and ttl == (existing.ttl or '') and exp == (existing.exp or '')
      and closedReq == (existing.closed or '0')
      and fsrc == (existing.fsrc or '')
      and (fsrc == '' or ((fposReq < 0 or int(fposReq) == existing.fpos) and fsub == (existing.fsub or '0')))
  if not same then return {'CONFLICT'} end
  local out = {'EXISTS'}
  for _, v in ipairs(state(existing)) do out[#out + 1] = v end
  return out
end
if tonumber(redis.call('GET', COUNT) or '0') >= tonumber(ARGV[13]) then return {'TOO_MANY'} end
if writer ~= '' and tonumber(redis.call('HGET', WRITERS, writer) or '0') >= tonumber(ARGV[14]) then
  return {'TOO_MANY'}
end
local fpos = 0
local inheritedExpms = ''
if fsrc ~= '' then
  local s = live(fsrc, t)
  if not s then return {'SOURCE_NOT_FOUND'} end
  if s.soft == '1' then return {'SOURCE_GONE'} end
  if ct ~= '' and media(ct) ~= media(s.ct) then return {'CONTENT_TYPE_MISMATCH'} end
  if ct == '' then ct = s.ct end
  fpos = fposReq < 0 and tonumber(s.tail) or fposReq
  if fpos > tonumber(s.tail) then return {'BAD_FORK_OFFSET'} end
  if ttl == '' and exp == '' then
    if s.ttl then ttl = s.ttl elseif s.exp then exp = s.exp; inheritedExpms = s.expms end
  end
end
local size = 0
for i = 16, #ARGV do size = size + #ARGV[i] end
if size > tonumber(ARGV[15]) then return {'TOO_LARGE'} end
if fsrc ~= '' then redis.call('HINCRBY', mkey(fsrc), 'refs', 1) end
local tail = fpos
for i = 16, #ARGV do
  if #ARGV[i] > 0 then
    tail = tail + #ARGV[i] + 1
    redis.call('XADD', dkey(p), int(tail) .. '-0', 'd', ARGV[i])
  end
end
local k = mkey(p)
redis.call('HSET', k, 'ct', ct, 'closed', closedReq, 'tail', int(tail), 'bytes', int(size), 'last', int(t), 'refs', '0')
if ttl ~= '' then redis.call('HSET', k, 'ttl', ttl) end
if exp ~= '' then redis.call('HSET', k, 'exp', exp, 'expms', expms ~= '' and expms or inheritedExpms) end
if owner ~= '' then redis.call('HSET', k, 'owner', owner) end
if writer ~= '' then
  redis.call('HSET', k, 'writer', writer)
  redis.call('HINCRBY', WRITERS, writer, 1)
end
if fsrc ~= '' then redis.call('HSET', k, 'fsrc', fsrc, 'fpos', int(fpos), 'fsub', fsub) end
redis.call('INCR', COUNT)
local m = load(p)
local e = expiry(m)
if e then redis.call('ZADD', EXP, e, p) end
redis.call('PUBLISH', TAIL, p)
local out = {'CREATED'}
for _, v in ipairs(state(m)) do out[#out + 1] = v end
return out
