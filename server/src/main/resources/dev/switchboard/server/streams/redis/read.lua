-- ARGV: base, path, after (position), budget (bytes). Returns {0} (no stream) or
-- {1, state(10 values), end1, data1, end2, data2, ...}: the messages after the position, a fork's sources
-- first where the position is before its fork point, within the budget (at least one message).
local p = ARGV[2]
local t = now()
local m = live(p, t)
if not m then return {0} end
touch(p, m, t)
local out = {1}
for _, v in ipairs(state(m)) do out[#out + 1] = v end
local first = #out

local function collect(path, mm, after, cap, budget)
  if mm.fsrc and after < tonumber(mm.fpos) then
    local s = load(mm.fsrc) -- a soft-deleted source is read through
    if s then
      local c = tonumber(mm.fpos)
      if cap ~= nil and cap < c then c = cap end
      budget = collect(mm.fsrc, s, after, c, budget)
      if budget <= 0 then return budget end
    end
  end
  local upper = cap == nil and '+' or (int(cap) .. '-0')
  local entries = redis.call('XRANGE', dkey(path), '(' .. int(after) .. '-0', upper, 'COUNT', 1000)
  for _, e in ipairs(entries) do
    local data = e[2][2]
    if #out > first and #data > budget then return 0 end
    out[#out + 1] = string.sub(e[1], 1, -3)
    out[#out + 1] = data
    budget = budget - #data
    if budget <= 0 then return budget end
  end
  return budget
end

collect(p, m, tonumber(ARGV[3]), nil, tonumber(ARGV[4]))
return out
