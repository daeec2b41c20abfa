--[[
bidding-common.lua: not a script of its own. The helpers every bidding script needs, included where a
script says `-- #include bidding-common.lua` (lua/bidding-store.ts puts them there when it loads it).
]]

-- Numbers leave a script through string.format('%d'): tostring and cjson print 14 significant digits.
local function int(n)
  return string.format('%d', n)
end

local function flag(b)
  return b and '1' or '0'
end

-- HMGET answers false for an absent field; '' stands for null.
local function optional_number(v)
  if v == false or v == '' then
    return nil
  end
  return tonumber(v)
end
local function optional_string(v)
  if v == false or v == '' then
    return nil
  end
  return v
end

-- The increment table, passed as (below, step) pairs from ARGV[first] on; the last row's below is ''.
local function increment_from_args(first)
  local steps = {}
  for i = first, #ARGV, 2 do
    steps[#steps + 1] = { below = tonumber(ARGV[i]), step = tonumber(ARGV[i + 1]) }
  end
  return function(price)
    for _, row in ipairs(steps) do
      if row.below == nil or price < row.below then
        return row.step
      end
    end
    error('the increment table must end with an unbounded row')
  end
end

-- isOpenAt (domain/proxy-bidding.ts): bids, and retractions, are taken from the start up to (not at) the end.
local function is_open_at(state, now)
  return (state.status == 'scheduled' or state.status == 'open') and state.starts_at <= now and now < state.ends_at
end

-- Redis time in epoch milliseconds: the one clock of every bidding decision.
local function redis_now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
