--[[
cancel-auction.lua: stops bidding for good, unless the auction has already ended. An auction whose
end Redis time has passed counts as closed even if nobody has run close-bidding.lua yet (it is closed
here and now): bidding was over, and a cancel must not take a won lot from its winner.

KEYS[1]  auction:{id}   the bidding hash (see place-bid.lua)
ARGV[1]  the pub/sub channel for auction events (it carries the auction's hash tag: same slot as KEYS[1])
ARGV[2]  the command to publish with: 'PUBLISH' on one server, 'SPUBLISH' (sharded) on a Cluster
ARGV[3]  '1': cancel only an auction nobody has bid on yet (an account deletion: a lot with bids goes on);
         decided here, in the same script as bids are, so no bid can slip in between the check and the cancel

Reply: 'cancelled' | 'already_closed' | 'already_cancelled' | 'missing' | 'has_bids'
Publishes {"type":"cancelled"} on ARGV[1] only when this call cancels.
]]

local h = redis.call('HMGET', KEYS[1], 'status', 'endsAtMs', 'bidCount')
local status = h[1]
if not status then
  return 'missing'
end
if status == 'cancelled' then
  return 'already_cancelled'
end
if status == 'closed' then
  return 'already_closed'
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if now >= tonumber(h[2]) then
  redis.call('HSET', KEYS[1], 'status', 'closed')
  return 'already_closed'
end

if ARGV[3] == '1' and tonumber(h[3]) > 0 then
  return 'has_bids'
end

redis.call('HSET', KEYS[1], 'status', 'cancelled')
redis.call(ARGV[2], ARGV[1], '{"type":"cancelled"}')
return 'cancelled'
