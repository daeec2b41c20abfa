--[[
reserve-retraction.lua: counts a user's own retractions against RETRACTIONS_TO_BLOCK atomically, so two
retractions at once on two auctions cannot both pass the limit. The persisted ones (Postgres, given in
ARGV) and the ones reserved here but perhaps not persisted yet are one set of auction ids: a user retracts
once per auction, so an auction id names one retraction. The rule is domain/retraction.ts's
mayRetractAgain: a user who retracted `limit` times or fewer may retract again.

KEYS[1]  user:{id}:retractions   sorted set: auction id → Redis time of the reservation (ms)
ARGV[1]  the window, ms (RETRACTION_HISTORY_MS); ARGV[2] the limit; ARGV[3] this auction's id
ARGV[4…] the auction ids of the user's persisted retractions in the window

Reply: { allowed (1/0), reserved (1 when this call added the auction, so a refused retraction releases it) }
]]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local auction_id = ARGV[3]

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local past = {}
local count = 0
local function add(id)
  if id ~= auction_id and not past[id] then
    past[id] = true
    count = count + 1
  end
end
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  add(id)
end
for i = 4, #ARGV do
  add(ARGV[i])
end
if count > limit then
  return { 0, 0 }
end
local reserved = redis.call('ZADD', KEYS[1], 'NX', now, auction_id)
redis.call('PEXPIRE', KEYS[1], window)
return { 1, reserved }
