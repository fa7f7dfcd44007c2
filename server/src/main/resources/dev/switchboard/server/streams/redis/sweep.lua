-- ARGV: base, max. Removes (or soft-deletes) up to max expired streams; returns how many it looked at.
local t = now()
local due = redis.call('ZRANGEBYSCORE', EXP, '-inf', t, 'LIMIT', 0, tonumber(ARGV[2]))
for _, p in ipairs(due) do
  if not live(p, t) then redis.call('ZREM', EXP, p) end
end
return #due
