--[[
claim-sale.lua: decides one claim on a flash sale atomically, on Redis TIME. The rules are those of
domain/sales/claim.ts (decideClaim): open, not the seller, within the per-user limit (units held and
bought together), and enough units available. No oversell, ever: `available` only falls here, by the
claim's quantity, after checking it is there, and every key shares the sale's hash tag.

KEYS[1]  sale:{id}            hash: phase, sellerId, stock, available, held, sold, perUserLimit, holdMs,
                              startsAtMs, endsAtMs ('' for none), version, seq
KEYS[2]  sale:{id}:units      hash: userId → units held or bought
KEYS[3]  sale:{id}:holds      sorted set: orderId scored by its hold's expiry (ms)
KEYS[4]  sale:{id}:hold       hash: orderId → "<userId> <quantity>", while the hold is open
KEYS[5]  sale:{id}:log        stream, the outbox: one entry per hold made, ID <seq>-0
KEYS[6]  sale:{id}:wake       coalescing flag: SET 1 NX PX <ARGV[5]> when a hold is made
KEYS[7]  sale:{id}:idem:<userId>:<key>  the stored reply for this Idempotency-Key, or sale:{id}:none for none
KEYS[8]  sale:{id}:pow:<id>   a proof-of-work solution's mark, or sale:{id}:none when the sale asks for none
ARGV[1]  userId
ARGV[2]  quantity (≥ 1)
ARGV[3]  the new order's id (a uuid the caller made)
ARGV[4]  how long a stored reply lives, ms
ARGV[5]  how long the wake flag lives, ms
ARGV[6]  the pub/sub channel (the sale's hash tag: same slot)
ARGV[7]  'PUBLISH' or 'SPUBLISH'
ARGV[8]  how long a used solution is remembered, ms (its challenge's remaining life)

Reply: { outcome, code, orderId, quantity, holdExpiresAtMs, seq, wake, available, held, sold,
waitlistOpen, replayed, version }, every value a string; outcome 'held' | 'refused' | 'missing'; version
(the sale's, after the hold) only for 'held'. A repeat with
the same Idempotency-Key gets the first reply back (replayed '1', wake '0') and changes nothing; its
solution is not checked again.
]]

local function int(n)
  return string.format('%d', n)
end

local sale, units_key, holds_key, hold_key, log_key, wake_key, idem_key, pow_key =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local user_id, quantity, order_id = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local idem_ttl, wake_ttl, channel, publish, pow_ttl =
  tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], ARGV[7], tonumber(ARGV[8])
-- An absent optional key is named in the sale's own slot ('' would hash elsewhere and a cluster refuses it).
local none = sale .. ':none'

if idem_key ~= none then
  local stored = redis.call('GET', idem_key)
  if stored then
    local reply = cjson.decode(stored)
    reply[7] = '0'
    reply[12] = '1'
    return reply
  end
end

if redis.call('EXISTS', sale) == 0 then
  return { 'missing', '', '', '', '', '', '0', '', '', '', '0', '0' }
end

local f = redis.call('HMGET', sale, 'phase', 'sellerId', 'available', 'held', 'sold', 'perUserLimit', 'holdMs',
  'startsAtMs', 'endsAtMs', 'version', 'seq')
local phase, seller_id = f[1], f[2]
local available, held, sold = tonumber(f[3]), tonumber(f[4]), tonumber(f[5])
local limit, hold_ms, starts_at = tonumber(f[6]), tonumber(f[7]), tonumber(f[8])
local ends_at = f[9] ~= '' and tonumber(f[9]) or nil
local version, seq = tonumber(f[10]), tonumber(f[11])

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function answer(reply)
  if idem_key ~= none then
    redis.call('SET', idem_key, cjson.encode(reply), 'PX', idem_ttl)
  end
  return reply
end

local function refuse(code, waitlist_open)
  return answer({ 'refused', code, '', '', '', '', '0', int(available), int(held), int(sold),
    waitlist_open and '1' or '0', '0' })
end

if pow_key ~= none then
  -- A solution works once, whatever the claim's fate: a refused claim does not hand it back.
  if redis.call('SET', pow_key, '1', 'NX', 'PX', pow_ttl) == false then
    return { 'refused', 'CHALLENGE_USED', '', '', '', '', '0', int(available), int(held), int(sold), '0', '0' }
  end
end

local open = (phase == 'scheduled' or phase == 'open') and now >= starts_at and (ends_at == nil or now < ends_at)
if not open then
  return refuse('SALE_NOT_OPEN', false)
end
if user_id == seller_id then
  return refuse('SELLER_CANNOT_BUY', false)
end
local mine = tonumber(redis.call('HGET', units_key, user_id) or '0')
if mine + quantity > limit then
  return refuse('LIMIT_REACHED', false)
end
if available < quantity then
  return refuse('SOLD_OUT', held > 0)
end

available = available - quantity
held = held + quantity
version = version + 1
seq = seq + 1
local expires_at = now + hold_ms
redis.call('HSET', sale, 'available', int(available), 'held', int(held), 'version', int(version), 'seq', int(seq))
redis.call('HINCRBY', units_key, user_id, quantity)
redis.call('ZADD', holds_key, int(expires_at), order_id)
redis.call('HSET', hold_key, order_id, user_id .. ' ' .. int(quantity))
redis.call('XADD', log_key, int(seq) .. '-0', 'o', order_id, 'u', user_id, 'q', int(quantity), 'x', int(expires_at),
  'w', '0', 'at', int(now))
local woke = redis.call('SET', wake_key, '1', 'NX', 'PX', wake_ttl) ~= false

local event = available == 0 and 'sold_out' or 'stock'
redis.call(publish, channel, '{"type":"' .. event .. '","version":' .. int(version) .. ',"available":' .. int(available)
  .. ',"held":' .. int(held) .. ',"sold":' .. int(sold) .. '}')

return answer({ 'held', '', order_id, int(quantity), int(expires_at), int(seq), woke and '1' or '0', int(available),
  int(held), int(sold), '0', '0', int(version) })
