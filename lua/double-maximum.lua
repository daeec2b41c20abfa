--[[
double-maximum.lua: the promoter's doubling of one bidder's live maximum, atomically on Redis time. The
rule is domain/promotions/doubling.ts's (decideDoubling): test/lua-place-bid.test.ts requires both to agree.
Idempotent per firing: a repeat of the same firing id answers what the first did and changes nothing.

KEYS[1]  auction:{id}            the bidding hash (see place-bid.lua)
KEYS[2]  auction:{id}:bids       the stream: the doubling is one entry, ID <seq>-0, type 'doubling'
KEYS[3]  auction:{id}:wake       coalescing flag, set as for a bid so the persist cycle copies the entry soon
KEYS[4]  auction:{id}:bidders    the bidder book (bidder-book.lua)
KEYS[5]  auction:{id}:firings    hash: firing id → this script's reply (JSON), for repeats
ARGV[1]  bidderId
ARGV[2]  the live maximum the promoter saw
ARGV[3]  promotionId, ARGV[4] firingId: carried to the stream entry for the record
ARGV[5]  how long the wake flag lives, ms
ARGV[6]  the pub/sub channel; ARGV[7] the command to publish with (see place-bid.lua)
ARGV[8]  the largest amount the engine takes (domain/money.ts MAX_AMOUNT)
ARGV[9…] the increment table, as in place-bid.lua

Reply: a flat array of field, value pairs, every value a string:
  outcome 'missing'                    the auction is unknown
  outcome 'refused', reason            one of domain/promotions/doubling.ts's DOUBLING_REFUSALS
  outcome 'doubled', seq, alias, fromMax, toMax, ownMax, price, leaderId ('' for none), leaderAlias,
          minimumNextBid, endsAtMs, bidCount, reserveMet ('1'/'0'), status, placedAtMs, wake ('1'/'0')
]]

-- #include bidding-common.lua
-- #include bidder-book.lua

local done = redis.call('HGET', KEYS[5], ARGV[4])
if done then
  return cjson.decode(done)
end

local state = read_book_state(KEYS[1])
if not state then
  return { 'outcome', 'missing' }
end
local starting_price, reserve_price = state.starting_price, state.reserve_price

local bidder_id = ARGV[1]
local expected_max = tonumber(ARGV[2])
local wake_ttl_ms = ARGV[5]
local max_amount = tonumber(ARGV[8])
local increment = increment_from_args(9)
local now = redis_now_ms()

-- A refusal is remembered too: a repeat of the firing must not double what changed since.
local function finish(reply)
  redis.call('HSET', KEYS[5], ARGV[4], cjson.encode(reply))
  redis.call('PEXPIRE', KEYS[5], 30 * 86400000)
  return reply
end

local function refuse(reason)
  return finish({ 'outcome', 'refused', 'reason', reason })
end

-- The order of the checks is decideDoubling's.
if not is_open_at(state, now) then
  return refuse('auction_not_open')
end
local entry = decode_entry(redis.call('HGET', KEYS[4], bidder_id))
if not entry or not entry.live then
  return refuse('no_live_maximum')
end
if entry.promoted_from then
  return refuse('already_doubled')
end
if entry.live.max ~= expected_max then
  return refuse('maximum_changed')
end
local from_max = entry.live.max
local to_max = from_max * 2
if to_max > max_amount then
  return refuse('maximum_too_large')
end
if state.book_partial then
  return refuse('auction_predates_book')
end

entry.promoted_from = from_max
entry.live.max = to_max
redis.call('HSET', KEYS[4], bidder_id, encode_entry(entry))

local leader_id, leader_max, leader_alias, price = standing_of(KEYS[4], starting_price, reserve_price, increment)

local seq = state.seq + 1
local reserve_met = reserve_price == nil or (leader_max ~= nil and leader_max >= reserve_price)
local minimum_next_bid = state.bid_count == 0 and starting_price or price + increment(price)
local leader_alias_text = leader_alias and int(leader_alias) or ''

redis.call('HSET', KEYS[1], 'price', int(price), 'leaderId', leader_id or '', 'leaderMax',
  leader_max and int(leader_max) or '', 'seq', int(seq), 'leaderAlias', leader_alias_text)
redis.call('XADD', KEYS[2], int(seq) .. '-0', 'seq', int(seq), 'type', 'doubling', 'bidderId', bidder_id,
  'bidderAlias', int(entry.alias), 'fromMax', int(from_max), 'toMax', int(to_max), 'amount', int(price),
  'leaderId', leader_id or '', 'leaderAlias', leader_alias_text, 'bidCount', int(state.bid_count),
  'placedAtMs', int(now), 'endsAtMs', int(state.ends_at), 'promotionId', ARGV[3], 'firingId', ARGV[4])
local wake = redis.call('SET', KEYS[3], '1', 'NX', 'PX', wake_ttl_ms) ~= false

redis.call(ARGV[7], ARGV[6], '{"type":"doubled","seq":' .. int(seq)
  .. ',"price":' .. int(price)
  .. ',"leaderAlias":' .. (leader_alias and int(leader_alias) or 'null')
  .. ',"doubledAlias":' .. int(entry.alias)
  .. ',"minimumNextBid":' .. int(minimum_next_bid)
  .. ',"endsAtMs":' .. int(state.ends_at)
  .. ',"bidCount":' .. int(state.bid_count)
  .. ',"reserveMet":' .. tostring(reserve_met)
  .. ',"placedAtMs":' .. int(now)
  .. ',"status":' .. cjson.encode(state.status) .. '}')

local reply = {
  'outcome', 'doubled',
  'seq', int(seq),
  'alias', int(entry.alias),
  'fromMax', int(from_max),
  'toMax', int(to_max),
  'ownMax', int(from_max),
  'price', int(price),
  'leaderId', leader_id or '',
  'leaderAlias', leader_alias_text,
  'minimumNextBid', int(minimum_next_bid),
  'endsAtMs', int(state.ends_at),
  'bidCount', int(state.bid_count),
  'reserveMet', flag(reserve_met),
  'status', state.status,
  'placedAtMs', int(now),
}
finish(reply)
reply[#reply + 1] = 'wake'
reply[#reply + 1] = flag(wake)
return reply
