--[[
retract-bid.lua: takes a bidder's bids back atomically, with Redis TIME as the clock. The rules are those
of domain/retraction.ts (decideRetraction): test/lua-place-bid.test.ts requires both to agree.

KEYS[1]  auction:{id}          the bidding hash (see place-bid.lua)
KEYS[2]  auction:{id}:bids     the stream: the retraction is one entry, ID <seq>-0, type 'retraction'
KEYS[3]  auction:{id}:wake     coalescing flag, set as for a bid so the persist cycle copies the entry soon
KEYS[4]  auction:{id}:bidders  the bidder book (bidder-book.lua)
ARGV[1]  bidderId
ARGV[2]  mode: 'retract' (the bidder's own) or 'void' (an admin's)
ARGV[3]  reason, ARGV[4] actorId, ARGV[5] requestId: carried to the stream entry for the record
ARGV[6]  how long the wake flag lives, ms
ARGV[7]  the pub/sub channel; ARGV[8] the command to publish with (see place-bid.lua)
ARGV[9…] the increment table, as in place-bid.lua

Reply: a flat array of field, value pairs, every value a string:
  outcome 'missing'                      the auction is unknown
  outcome 'refused', reason              one of domain/retraction.ts's RETRACTION_REFUSALS (not the
                                         API-side 'too_many_retractions'), or 'auction_predates_book'
  outcome 'retracted', seq, scope ('all'|'last'), alias, lastSeq, price, leaderId ('' for none),
          leaderAlias ('' for none), minimumNextBid, endsAtMs, bidCount, reserveMet ('1'/'0'), status,
          placedAtMs, wake ('1'/'0')
]]

-- #include bidding-common.lua
-- #include bidder-book.lua

-- Only what the rules read: the leader and price are found again from the book.
local state = read_book_state(KEYS[1])
if not state then
  return { 'outcome', 'missing' }
end
local starting_price, reserve_price = state.starting_price, state.reserve_price

local bidder_id = ARGV[1]
local mode = ARGV[2]
local wake_ttl_ms = ARGV[6]
local events_channel = ARGV[7]
local publish_command = ARGV[8]

local increment = increment_from_args(9)
local now = redis_now_ms()

local function refuse(reason)
  return { 'outcome', 'refused', 'reason', reason }
end

-- The order of the checks is retractionScope's.
if not is_open_at(state, now) then
  return refuse('auction_not_open')
end
local entry = decode_entry(redis.call('HGET', KEYS[4], bidder_id))
if not entry or not entry.live then
  return refuse('no_bids')
end
if state.book_partial then
  return refuse('auction_predates_book')
end
local scope
if mode == 'void' then
  scope = 'all'
elseif entry.retracted then
  return refuse('already_retracted')
elseif state.ends_at - now >= 12 * 3600000 then
  scope = 'all'
elseif now - entry.live.placed_at <= 3600000 then
  scope = 'last'
else
  return refuse('last_bid_too_old')
end

local last_seq = entry.live.seq
local taken_bids = entry.bids
if scope == 'all' then
  entry.live = nil
  entry.bids = 0
else
  entry.live = entry.previous
  entry.bids = entry.bids - 1
end
entry.previous = nil
entry.promoted_from = nil
entry.retracted = entry.retracted or mode == 'retract'
redis.call('HSET', KEYS[4], bidder_id, encode_entry(entry))

local leader_id, leader_max, leader_alias, price = standing_of(KEYS[4], starting_price, reserve_price, increment)

local seq = state.seq + 1
local bid_count = state.bid_count - (taken_bids - entry.bids)
local reserve_met = reserve_price == nil or (leader_max ~= nil and leader_max >= reserve_price)
local minimum_next_bid = bid_count == 0 and starting_price or price + increment(price)
local leader_alias_text = leader_alias and int(leader_alias) or ''

redis.call('HSET', KEYS[1], 'price', int(price), 'leaderId', leader_id or '', 'leaderMax',
  leader_max and int(leader_max) or '', 'seq', int(seq), 'bidCount', int(bid_count), 'leaderAlias', leader_alias_text)
redis.call('XADD', KEYS[2], int(seq) .. '-0', 'seq', int(seq), 'type', 'retraction', 'bidderId', bidder_id,
  'scope', scope, 'mode', mode, 'lastSeq', int(last_seq), 'amount', int(price), 'leaderId', leader_id or '',
  'leaderAlias', leader_alias_text, 'bidCount', int(bid_count), 'placedAtMs', int(now), 'endsAtMs',
  int(state.ends_at), 'bidderAlias', int(entry.alias), 'reason', ARGV[3], 'actorId', ARGV[4], 'requestId', ARGV[5])
local wake = redis.call('SET', KEYS[3], '1', 'NX', 'PX', wake_ttl_ms) ~= false

redis.call(publish_command, events_channel, '{"type":"retracted","seq":' .. int(seq)
  .. ',"price":' .. int(price)
  .. ',"leaderAlias":' .. (leader_alias and int(leader_alias) or 'null')
  .. ',"retractedAlias":' .. int(entry.alias)
  .. ',"minimumNextBid":' .. int(minimum_next_bid)
  .. ',"endsAtMs":' .. int(state.ends_at)
  .. ',"bidCount":' .. int(bid_count)
  .. ',"reserveMet":' .. tostring(reserve_met)
  .. ',"placedAtMs":' .. int(now)
  .. ',"status":' .. cjson.encode(state.status) .. '}')

return {
  'outcome', 'retracted',
  'seq', int(seq),
  'scope', scope,
  'alias', int(entry.alias),
  'lastSeq', int(last_seq),
  'price', int(price),
  'leaderId', leader_id or '',
  'leaderAlias', leader_alias_text,
  'minimumNextBid', int(minimum_next_bid),
  'endsAtMs', int(state.ends_at),
  'bidCount', int(bid_count),
  'reserveMet', flag(reserve_met),
  'status', state.status,
  'placedAtMs', int(now),
  'wake', flag(wake),
}
