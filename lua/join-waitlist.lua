--[[
join-waitlist.lua: puts a buyer at the end of a sold-out sale's waitlist, or answers their place when
they are on it (a repeat keeps the place and takes the new quantity). Only while the sale is open, not
for its seller, within the per-user limit (units held and bought, plus those waited for), and only when
the units are not there to claim now and some are held (so may come back).

KEYS[1] sale:{id}   KEYS[2] :units   KEYS[3] :waitlist   KEYS[4] :waiting
ARGV[1] userId   ARGV[2] quantity
Reply: { outcome ('waiting' | 'refused' | 'missing'), code, position, available, held }
]]
local function int(n)
  return string.format('%d', n)
end
local sale, units_key, waitlist_key, waiting_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local user_id, quantity = ARGV[1], tonumber(ARGV[2])
local f = redis.call('HMGET', sale, 'phase', 'sellerId', 'available', 'held', 'perUserLimit', 'startsAtMs', 'endsAtMs')
if not f[1] then
  return { 'missing', '', '', '', '' }
end
local phase, seller_id = f[1], f[2]
local available, held, limit, starts_at = tonumber(f[3]), tonumber(f[4]), tonumber(f[5]), tonumber(f[6])
local ends_at = f[7] ~= '' and tonumber(f[7]) or nil
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function refuse(code)
  return { 'refused', code, '', int(available), int(held) }
end
if not ((phase == 'scheduled' or phase == 'open') and now >= starts_at and (ends_at == nil or now < ends_at)) then
  return refuse('SALE_NOT_OPEN')
end
if user_id == seller_id then
  return refuse('SELLER_CANNOT_BUY')
end
if tonumber(redis.call('HGET', units_key, user_id) or '0') + quantity > limit then
  return refuse('LIMIT_REACHED')
end
local position = redis.call('LPOS', waitlist_key, user_id)
if position then
  redis.call('HSET', waiting_key, user_id, int(quantity))
  return { 'waiting', '', int(position + 1), int(available), int(held) }
end
if available >= quantity then
  return refuse('UNITS_AVAILABLE')
end
if held == 0 then
  return refuse('SOLD_OUT')
end
local length = redis.call('RPUSH', waitlist_key, user_id)
redis.call('HSET', waiting_key, user_id, int(quantity))
return { 'waiting', '', int(length), int(available), int(held) }
