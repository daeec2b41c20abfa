--[[
init-sale.lua: creates a sale's hash once; a repeat leaves what exists (claims included) untouched.
KEYS[1] sale:{id}   ARGV: field, value pairs   Reply: 1 when created, 0 when it existed.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
