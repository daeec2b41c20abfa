--[[
bidder-book.lua: not a script of its own. The scripts that keep an auction's bidder book
(domain/bidder-book.ts) include it where they say `-- #include bidder-book.lua` (lua/bidding-store.ts puts
it there when it loads them), so the book's encoding has one definition. It uses bidding-common.lua's
helpers, so it is included after that.

auction:{id}:bidders is a hash: bidderId → one entry, ten fields joined by ':' ('' for none):
  alias, bids, retracted ('1'/'0'), live max, live seq, live placedAtMs, previous max, previous seq,
  previous placedAtMs, promotedFrom (the bidder's own maximum when the house doubled the live one;
  entries written before promotions have only the first nine)
]]

local function split_entry(text)
  local parts = {}
  for part in (text .. ':'):gmatch('([^:]*):') do
    parts[#parts + 1] = part
  end
  return parts
end

local function decode_maximum(max, seq, placed_at)
  if max == '' then
    return nil
  end
  return { max = tonumber(max), seq = tonumber(seq), placed_at = tonumber(placed_at) }
end

-- nil when the bidder has no entry (HGET answers false).
local function decode_entry(text)
  if not text then
    return nil
  end
  local p = split_entry(text)
  return {
    alias = tonumber(p[1]),
    bids = tonumber(p[2]),
    retracted = p[3] == '1',
    live = decode_maximum(p[4], p[5], p[6]),
    previous = decode_maximum(p[7], p[8], p[9]),
    promoted_from = (p[10] and p[10] ~= '') and tonumber(p[10]) or nil,
  }
end

local function encode_maximum(m)
  if not m then
    return '::'
  end
  return string.format('%d:%d:%d', m.max, m.seq, m.placed_at)
end

local function encode_entry(e)
  return string.format('%d:%d:%s:', e.alias, e.bids, e.retracted and '1' or '0')
    .. encode_maximum(e.live) .. ':' .. encode_maximum(e.previous) .. ':'
    .. (e.promoted_from and string.format('%d', e.promoted_from) or '')
end

--[[
An auction made before the book existed has bids it never recorded: its aliases start after its bid
count (no alias can repeat one shown before), and it is marked so that a retraction, which needs every
maximum, is refused on it.
]]
local function book_alias_base(state_key, bid_count)
  redis.call('HSET', state_key, 'bookPartial', '1')
  return bid_count
end

--[[
What the scripts that find the standing again from the book (retract-bid.lua, double-maximum.lua) read
of the bidding hash: its state, the prices the standing needs, and whether the book is partial. nil when
there is no such auction.
]]
local function read_book_state(state_key)
  local h = redis.call('HMGET', state_key, 'status', 'startsAtMs', 'endsAtMs', 'seq', 'bidCount', 'startingPrice',
    'reservePrice', 'bookPartial')
  if not h[1] then
    return nil
  end
  return {
    status = h[1],
    starts_at = tonumber(h[2]),
    ends_at = tonumber(h[3]),
    seq = tonumber(h[4]),
    bid_count = tonumber(h[5]),
    starting_price = tonumber(h[6]),
    reserve_price = optional_number(h[7]),
    book_partial = h[8] == '1',
  }
end

--[[
standingOf (domain/bidder-book.ts): the leader, their maximum and alias, and the price, found from the
maxima in the book whatever order they came in. Returns leader_id, leader_max, leader_alias, price (the
first three nil when no one has a live maximum).
]]
local function standing_of(book_key, starting_price, reserve_price, increment)
  local top_id, top, top_alias, second
  local function before(a, b)
    return a.max > b.max or (a.max == b.max and a.seq < b.seq)
  end
  local book = redis.call('HGETALL', book_key)
  for i = 1, #book, 2 do
    local entry = decode_entry(book[i + 1])
    local live = entry.live
    if live then
      if not top or before(live, top) then
        second = top
        top_id, top, top_alias = book[i], live, entry.alias
      elseif not second or before(live, second) then
        second = live
      end
    end
  end
  if not top then
    return nil, nil, nil, starting_price
  end
  local price = starting_price
  if second then
    price = math.min(top.max, math.max(starting_price, second.max + increment(second.max)))
  end
  if reserve_price ~= nil and top.max >= reserve_price then
    price = math.max(price, reserve_price)
  end
  return top_id, top.max, top_alias, price
end
