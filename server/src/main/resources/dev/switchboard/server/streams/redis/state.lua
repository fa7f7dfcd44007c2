-- ARGV: base, path, touch (1/0). Returns {1, state...} or {0}.
local p = ARGV[2]
local t = now()
local m = live(p, t)
if not m then return {0} end
if ARGV[3] == '1' then touch(p, m, t) end
local out = {1}
for _, v in ipairs(state(m)) do out[#out + 1] = v end
return out
