--[[
close-bidding.lua: closes bidding only once Redis time has reached the end, so no bid is ever accepted
after a close and a soft-close extension the caller has not heard of yet is never cut short.
Idempotent: a closed auction answers the same final figures every time.

KEYS[1]  auction:{id}   the bidding hash (see place-bid.lua)
ARGV     none

Reply: a flat array of field, value pairs, every value a string:
  state 'missing'                    no such auction
  state 'cancelled'
  state 'open', endsAtMs             not over yet: the real end (the caller sleeps until then and asks again)
  state 'closed', seq, price, leaderId ('' for none), leaderMax ('' for none), bidCount,
        reserveMet ('1'/'0'), endsAtMs
Numbers leave through string.format('%d'): tostring keeps only 14 digits, amounts reach 10^15.
]]

local function int(n)
  return string.format('%d', n)
end

local h = redis.call('HMGET', KEYS[1], 'status', 'startsAtMs', 'endsAtMs', 'price', 'leaderId', 'leaderMax', 'seq',
  'bidCount', 'reservePrice')
local status = h[1]
if not status then
  return { 'state', 'missing' }
end
if status == 'cancelled' then
  return { 'state', 'cancelled' }
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local starts_at, ends_at = tonumber(h[2]), tonumber(h[3])

if status ~= 'closed' then
  if now < ends_at then
    -- Started, nobody has bid yet: say so, so readers of the hash see the auction open.
    if status == 'scheduled' and now >= starts_at then
      redis.call('HSET', KEYS[1], 'status', 'open')
    end
    return { 'state', 'open', 'endsAtMs', int(ends_at) }
  end
  redis.call('HSET', KEYS[1], 'status', 'closed')
end

local leader_max = (h[6] ~= false and h[6] ~= '') and tonumber(h[6]) or nil
local reserve = (h[9] ~= false and h[9] ~= '') and tonumber(h[9]) or nil
local reserve_met = reserve == nil or (leader_max ~= nil and leader_max >= reserve)
return {
  'state', 'closed',
  'seq', int(tonumber(h[7])),
  'price', int(tonumber(h[4])),
  'leaderId', h[5] or '',
  'leaderMax', leader_max and int(leader_max) or '',
  'bidCount', int(tonumber(h[8])),
  'reserveMet', reserve_met and '1' or '0',
  'endsAtMs', int(ends_at),
}
