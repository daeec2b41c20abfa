--[[
due-holds.lua: the holds whose expiry Redis's clock has reached, oldest first, at most ARGV[1].
KEYS[1] sale:{id}:holds   Reply: the order ids.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGE', KEYS[1], '-inf', string.format('%d', now), 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
