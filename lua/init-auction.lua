--[[
init-auction.lua: creates an auction's bidding hash once. A repeat (a retried request or activity)
leaves the existing state, bids included, untouched.

KEYS[1]  auction:{id}   the bidding hash (see place-bid.lua for its fields)
ARGV     field, value pairs of the initial hash, numbers already formatted as integers, '' for null

Reply: 1 when this call created the hash, 0 when it existed already.
]]

if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
