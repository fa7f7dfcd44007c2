-- ARGV: base, path. Returns 'NOT_FOUND', 'GONE' (already soft-deleted) or 'DELETED'.
local p = ARGV[2]
local m = live(p, now())
if not m then return 'NOT_FOUND' end
if m.soft == '1' then return 'GONE' end
if tonumber(m.refs or '0') > 0 then
  redis.call('HSET', mkey(p), 'soft', '1')
  redis.call('ZREM', EXP, p)
  redis.call('PUBLISH', TAIL, p)
  return 'DELETED'
end
remove(p, m)
return 'DELETED'
