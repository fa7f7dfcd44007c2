-- ARGV: base, path, data, content type ('' none), stream seq ('' none), producer id ('' none), producer epoch,
-- producer seq, close (1/0), max stream bytes. The rules are AppendRules' (closed first, then the content
-- type, then the producer, then Stream-Seq), decided before anything is written.
-- Returns {outcome, tail, closed (0/1), epoch, seq, received}.
local p = ARGV[2]
local data = ARGV[3]
local pid = ARGV[6]
local pe = tonumber(ARGV[7])
local ps = tonumber(ARGV[8])
local t = now()
local m = live(p, t)
if not m then return {'NOT_FOUND', '0', 0, '0', '0', '0'} end
if m.soft == '1' then return {'GONE', m.tail, 0, '0', '0', '0'} end
local closed = m.closed == '1' and 1 or 0
if closed == 1 then
  if pid ~= '' and m.cby == (pid .. '\n' .. ARGV[7] .. '\n' .. ARGV[8]) then
    return {'DUPLICATE', m.tail, 1, ARGV[7], ARGV[8], '0'}
  end
  return {'CLOSED', m.tail, 1, '0', '0', '0'}
end
if #data > 0 and ARGV[4] ~= '' and media(ARGV[4]) ~= media(m.ct) then
  return {'CONTENT_TYPE_MISMATCH', m.tail, 0, '0', '0', '0'}
end
local commit = nil
if pid ~= '' then
  local known = redis.call('HGET', pkey(p), pid)
  if not known then
    if ps ~= 0 then return {'SEQUENCE_GAP', m.tail, 0, ARGV[7], '0', ARGV[8]} end
    commit = ARGV[7] .. ':0'
  else
    local colon = string.find(known, ':', 1, true)
    local epoch = tonumber(string.sub(known, 1, colon - 1))
    local last = tonumber(string.sub(known, colon + 1))
    if pe < epoch then return {'STALE_EPOCH', m.tail, 0, int(epoch), '0', '0'} end
    if pe > epoch then
      if ps ~= 0 then return {'INVALID_EPOCH_SEQ', m.tail, 0, '0', '0', '0'} end
      commit = ARGV[7] .. ':0'
    elseif ps <= last then
      return {'DUPLICATE', m.tail, 0, ARGV[7], int(last), '0'}
    elseif ps == last + 1 then
      commit = ARGV[7] .. ':' .. ARGV[8]
    else
      return {'SEQUENCE_GAP', m.tail, 0, ARGV[7], int(last + 1), ARGV[8]}
    end
  end
end
if ARGV[5] ~= '' and m.seq and ARGV[5] <= m.seq then
  return {'SEQ_CONFLICT', m.tail, 0, '0', '0', '0'}
end
local tail = tonumber(m.tail)
if #data > 0 then
  if tonumber(m.bytes or '0') + #data > tonumber(ARGV[10]) then
    return {'TOO_LARGE', m.tail, 0, '0', '0', '0'}
  end
  tail = tail + #data + 1
  redis.call('XADD', dkey(p), int(tail) .. '-0', 'd', data)
  redis.call('HINCRBY', mkey(p), 'bytes', #data)
end
redis.call('HSET', mkey(p), 'tail', int(tail))
if commit then redis.call('HSET', pkey(p), pid, commit) end
if ARGV[5] ~= '' then redis.call('HSET', mkey(p), 'seq', ARGV[5]) end
if ARGV[9] == '1' then
  closed = 1
  redis.call('HSET', mkey(p), 'closed', '1')
  if pid ~= '' then redis.call('HSET', mkey(p), 'cby', pid .. '\n' .. ARGV[7] .. '\n' .. ARGV[8]) end
end
touch(p, m, t)
redis.call('PUBLISH', TAIL, p)
return {'APPENDED', int(tail), closed, pid ~= '' and ARGV[7] or '0', pid ~= '' and ARGV[8] or '0', '0'}
