--[[
settle-holds.lua: ends holds, each exactly once (a hold ends when it leaves the sorted set, here and
nowhere else). Postgres has already decided each one's fate under its order's row lock: a paid
order's units become sold; an expired or cancelled order's units are released, first to the waitlist in
order (domain/sales/waitlist.ts, releaseToWaitlist: each served buyer gets a new hold, logged like a
claim, so its order is made the same way), and what nobody waiting takes goes back to `available`. The
waitlist is served only while the sale is open; after it closed or was cancelled released units stay
unsold.

KEYS[1]  sale:{id}   KEYS[2] :units   KEYS[3] :holds   KEYS[4] :hold   KEYS[5] :log
KEYS[6]  sale:{id}:waitlist   list of userIds, first to be served at the head
KEYS[7]  sale:{id}:waiting    hash: userId → units still wanted
ARGV[1]  the pub/sub channel   ARGV[2] 'PUBLISH' or 'SPUBLISH'
ARGV[3]  n, the number of paid orders that follow; ARGV[4 … 3+n] their ids
ARGV[4+n] m, the number of released orders that follow; then their ids
then the fresh order ids the waitlist's new holds may take, one each

A released hold is settled only while enough fresh ids remain for its units; the rest wait for the next
call (reply `more` '1'). Ids not in the sorted set (ended already) are skipped.

Reply: { sold, released, served, more, available, held, sold, earliestExpiryMs ('' for none), seq,
version, then for each new hold: orderId, userId, quantity, expiresAtMs }
]]

local function int(n)
  return string.format('%d', n)
end

local sale, units_key, holds_key, hold_key, log_key, waitlist_key, waiting_key =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local channel, publish = ARGV[1], ARGV[2]
local n = tonumber(ARGV[3])
local paid_from, paid_to = 4, 3 + n
local m = tonumber(ARGV[4 + n])
local released_from, released_to = 5 + n, 4 + n + m
local fresh_at = 5 + n + m

local f = redis.call('HMGET', sale, 'phase', 'available', 'held', 'sold', 'perUserLimit', 'holdMs', 'startsAtMs',
  'endsAtMs', 'version', 'seq')
if not f[1] then
  return { '0', '0', '0', '0', '', '', '', '', '', '' }
end
local phase = f[1]
local available, held, sold = tonumber(f[2]), tonumber(f[3]), tonumber(f[4])
local limit, hold_ms, starts_at = tonumber(f[5]), tonumber(f[6]), tonumber(f[7])
local ends_at = f[8] ~= '' and tonumber(f[8]) or nil
local version, seq = tonumber(f[9]), tonumber(f[10])

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local serving = (phase == 'scheduled' or phase == 'open') and now >= starts_at and (ends_at == nil or now < ends_at)

local function take_hold(order_id)
  if redis.call('ZREM', holds_key, order_id) == 0 then
    return nil
  end
  local owner = redis.call('HGET', hold_key, order_id)
  redis.call('HDEL', hold_key, order_id)
  local user_id, quantity = string.match(owner, '^(%S+) (%d+)$')
  return user_id, tonumber(quantity)
end

local sold_count, released_count = 0, 0
for i = paid_from, paid_to do
  local _, quantity = take_hold(ARGV[i])
  if quantity then
    held = held - quantity
    sold = sold + quantity
    sold_count = sold_count + 1
  end
end

local new_holds = {}
local more = false
for i = released_from, released_to do
  local order_id = ARGV[i]
  local owner = redis.call('HGET', hold_key, order_id)
  local wanted = 0
  if owner then
    local _, q = string.match(owner, '^(%S+) (%d+)$')
    wanted = tonumber(q)
  end
  if serving and (#ARGV - fresh_at + 1) < wanted then
    more = true
    break
  end
  local user_id, quantity = take_hold(order_id)
  if quantity then
    released_count = released_count + 1
    held = held - quantity
    local left_units = tonumber(redis.call('HINCRBY', units_key, user_id, -quantity))
    if left_units <= 0 then
      redis.call('HDEL', units_key, user_id)
    end
    local free = quantity
    while serving and free > 0 do
      local head = redis.call('LINDEX', waitlist_key, 0)
      if not head then
        break
      end
      local want = tonumber(redis.call('HGET', waiting_key, head) or '0')
      local room = limit - tonumber(redis.call('HGET', units_key, head) or '0')
      local give = math.min(want, room, free)
      if give <= 0 then
        redis.call('LPOP', waitlist_key)
        redis.call('HDEL', waiting_key, head)
      else
        local new_id = ARGV[fresh_at]
        fresh_at = fresh_at + 1
        local expires_at = now + hold_ms
        seq = seq + 1
        held = held + give
        free = free - give
        redis.call('HINCRBY', units_key, head, give)
        redis.call('ZADD', holds_key, int(expires_at), new_id)
        redis.call('HSET', hold_key, new_id, head .. ' ' .. int(give))
        redis.call('XADD', log_key, int(seq) .. '-0', 'o', new_id, 'u', head, 'q', int(give), 'x', int(expires_at),
          'w', '1', 'at', int(now))
        if give == want then
          redis.call('LPOP', waitlist_key)
          redis.call('HDEL', waiting_key, head)
        else
          redis.call('HSET', waiting_key, head, int(want - give))
        end
        table.insert(new_holds, new_id)
        table.insert(new_holds, head)
        table.insert(new_holds, int(give))
        table.insert(new_holds, int(expires_at))
      end
    end
    available = available + free
  end
end

if sold_count + released_count > 0 then
  version = version + 1
  redis.call('HSET', sale, 'available', int(available), 'held', int(held), 'sold', int(sold), 'version',
    int(version), 'seq', int(seq))
  redis.call(publish, channel, '{"type":"stock","version":' .. int(version) .. ',"available":' .. int(available)
    .. ',"held":' .. int(held) .. ',"sold":' .. int(sold) .. '}')
end

local earliest = redis.call('ZRANGE', holds_key, 0, 0, 'WITHSCORES')
local reply = { int(sold_count), int(released_count), int(#new_holds / 4), more and '1' or '0', int(available),
  int(held), int(sold), earliest[2] and int(tonumber(earliest[2])) or '', int(seq), int(version) }
for _, v in ipairs(new_holds) do
  table.insert(reply, v)
end
return reply
