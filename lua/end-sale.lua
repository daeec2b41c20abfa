--[[
end-sale.lua: moves a sale's phase. 'open' at its start (claims already look at the clock; this is what
readers see), 'closed' at its end (only once Redis's clock has reached it: otherwise the real end comes
back, as a clock behind the workflow's would), 'cancelled' any time before it closed, unless every
unit is sold (nothing available, nothing held: the sale is finished, and its workflow gone). Closing or
cancelling drops the waitlist: units released from then on stay unsold.

KEYS[1] sale:{id}   KEYS[2] :waitlist   KEYS[3] :waiting
ARGV[1] the phase to move to   ARGV[2] the channel   ARGV[3] 'PUBLISH' or 'SPUBLISH'
Reply: { outcome ('moved' | 'already' | 'not_yet' | 'final' | 'sold_out' | 'missing'), phase, endsAtMs }
]]
local function int(n)
  return string.format('%d', n)
end
local sale, to = KEYS[1], ARGV[1]
local f = redis.call('HMGET', sale, 'phase', 'endsAtMs', 'available', 'held', 'sold', 'version')
local phase = f[1]
if not phase then
  return { 'missing', '', '' }
end
if phase == to then
  return { 'already', phase, f[2] }
end
if phase == 'closed' or phase == 'cancelled' then
  return { 'final', phase, f[2] }
end
if to == 'cancelled' and f[3] == '0' and f[4] == '0' then
  return { 'sold_out', phase, f[2] }
end
if to == 'closed' and f[2] ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if now < tonumber(f[2]) then
    return { 'not_yet', phase, f[2] }
  end
end
local version = tonumber(f[6]) + 1
redis.call('HSET', sale, 'phase', to, 'version', int(version))
if to ~= 'open' then
  redis.call('DEL', KEYS[2], KEYS[3])
end
local event = to == 'open' and 'stock' or (to == 'closed' and 'closed' or 'cancelled')
redis.call(ARGV[3], ARGV[2], '{"type":"' .. event .. '","version":' .. int(version) .. ',"available":' .. f[3]
  .. ',"held":' .. f[4] .. ',"sold":' .. f[5] .. '}')
return { 'moved', to, f[2] }
