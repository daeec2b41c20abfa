--[[
leave-waitlist.lua: takes a buyer off a sale's waitlist.
KEYS[1] sale:{id}:waitlist   KEYS[2] :waiting   ARGV[1] userId   Reply: 1 when they were on it, else 0.
]]
local removed = redis.call('LREM', KEYS[1], 0, ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return removed > 0 and 1 or 0
