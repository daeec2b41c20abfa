--[[
place-bid.lua: decides one bid atomically, with Redis TIME as the clock. The rules are those of
domain/proxy-bidding.ts (decideBid); test/lua-place-bid.test.ts requires both to agree on random bids,
so a change to one must be made to the other.

KEYS[1]  auction:{id}          hash: status, startsAtMs, endsAtMs, price, leaderId, leaderMax, seq, bidCount,
                               sellerId, startingPrice, reservePrice, buyNowPrice, softCloseWindowMs,
                               softCloseExtendMs ('' for null); buyersPremiumBps, which the script only
                               passes back (absent on auctions made before settlement terms existed);
                               aliasCount, the last bidder alias given, and leaderAlias ('' for none)
                               (both absent on auctions made before aliases existed: see bidder-book.lua)
KEYS[2]  auction:{id}:bids     stream, the outbox: one entry per accepted bid (and per retraction), ID <seq>-0
KEYS[3]  auction:{id}:wake     coalescing flag: SET 1 NX PX <ARGV[5]> on an accepted bid
KEYS[4]  auction:{id}:bidders  hash, the bidder book (domain/bidder-book.ts): bidderId → entry
KEYS[5]  (optional) auction:{id}:idem:<bidderId>:<key>  the stored reply for this Idempotency-Key
ARGV[1]  bidderId
ARGV[2]  amount, integer minor units (the bidder's maximum; with buy-now, the buy-now price)
ARGV[3]  buyNow: '1' or '0'
ARGV[4]  how long a stored idempotent reply lives, ms
ARGV[5]  how long the wake flag lives, ms
ARGV[6]  the pub/sub channel for accepted bids (it carries the auction's hash tag: same slot as the keys)
ARGV[7]  the command to publish with: 'PUBLISH' on one server, 'SPUBLISH' (sharded) on a Cluster
ARGV[8]  the W3C traceparent of the request that placed the bid, or '' when it is not traced; kept on
         the bid's stream entry so the persist cycle that copies it can link back to it
ARGV[9…] the increment table, as (below, step) pairs; the last row's below is '' (every price from there up)

Reply: a flat array of field, value pairs, every value a string:
  outcome 'missing'                          the auction is unknown (nothing else follows)
  outcome 'accepted' | 'rejected', code ('' when accepted), seq, kind, leading ('1'/'0'), extended
  ('1'/'0') (these four '' when rejected), price, leaderId ('' for none), minimumNextBid, endsAtMs,
  bidCount, reserveMet ('1'/'0'), status, placedAtMs, wake ('1'/'0'), replayed ('1'/'0'), buyersPremiumBps
  ('' when the hash has none), leaderAlias ('' for none), bidderAlias ('' when rejected)
With KEYS[5], the first reply (rejections too) is stored and a repeat gets it back with replayed '1' and
wake '0' (the repeat set nothing), changing nothing.

Numbers: Lua numbers are doubles, exact for the integers used here (amounts ≤ 10^15, times in ms), but
tostring and cjson print only 14 significant digits, so every number leaves this script through
string.format('%d') and the published JSON is assembled by hand.
]]

-- #include bidding-common.lua
-- #include bidder-book.lua

local function set_field(reply, name, value)
  for i = 1, #reply, 2 do
    if reply[i] == name then
      reply[i + 1] = value
    end
  end
end

local idempotency_key = KEYS[5]
if idempotency_key then
  local stored = redis.call('GET', idempotency_key)
  if stored then
    local reply = cjson.decode(stored)
    set_field(reply, 'wake', '0')
    set_field(reply, 'replayed', '1')
    return reply
  end
end

local h = redis.call('HMGET', KEYS[1], 'status', 'startsAtMs', 'endsAtMs', 'price', 'leaderId', 'leaderMax', 'seq',
  'bidCount', 'sellerId', 'startingPrice', 'reservePrice', 'buyNowPrice', 'softCloseWindowMs', 'softCloseExtendMs',
  'buyersPremiumBps', 'aliasCount', 'leaderAlias')
if not h[1] then
  return { 'outcome', 'missing' }
end

local state = {
  status = h[1],
  starts_at = tonumber(h[2]),
  ends_at = tonumber(h[3]),
  price = tonumber(h[4]),
  leader_id = optional_string(h[5]),
  leader_max = optional_number(h[6]),
  seq = tonumber(h[7]),
  bid_count = tonumber(h[8]),
  leader_alias = optional_string(h[17]),
}
local rules = {
  seller_id = h[9],
  starting_price = tonumber(h[10]),
  reserve_price = optional_number(h[11]),
  buy_now_price = optional_number(h[12]),
  window = tonumber(h[13]),
  extend = tonumber(h[14]),
}
-- Not a bidding rule: every answer repeats it, so a bidder knows what a win costs without another read.
local buyers_premium_bps = h[15] or ''

local bidder_id = ARGV[1]
local amount = tonumber(ARGV[2])
local buy_now = ARGV[3] == '1'
local idempotency_ttl_ms = ARGV[4]
local wake_ttl_ms = ARGV[5]
local events_channel = ARGV[6]
local publish_command = ARGV[7]

local traceparent = ARGV[8]
local increment = increment_from_args(9)
local now = redis_now_ms()

local function minimum_next_bid(s)
  if s.bid_count == 0 then
    return rules.starting_price
  end
  return s.price + increment(s.price)
end

local function reserve_met(s)
  return rules.reserve_price == nil or (s.leader_max ~= nil and s.leader_max >= rules.reserve_price)
end

local function answer(outcome, code, kind, leading, extended, s, wake, bidder_alias)
  local reply = {
    'outcome', outcome,
    'code', code,
    'seq', outcome == 'accepted' and int(s.seq) or '',
    'kind', kind,
    'leading', leading,
    'extended', extended,
    'price', int(s.price),
    'leaderId', s.leader_id or '',
    'minimumNextBid', int(minimum_next_bid(s)),
    'endsAtMs', int(s.ends_at),
    'bidCount', int(s.bid_count),
    'reserveMet', flag(reserve_met(s)),
    'status', s.status,
    'placedAtMs', int(now),
    'wake', flag(wake),
    'replayed', '0',
    'buyersPremiumBps', buyers_premium_bps,
    'leaderAlias', s.leader_alias or '',
    'bidderAlias', bidder_alias or '',
  }
  if idempotency_key then
    redis.call('SET', idempotency_key, cjson.encode(reply), 'PX', idempotency_ttl_ms)
  end
  return reply
end

local function reject(code)
  return answer('rejected', code, '', '', '', state, false)
end

-- The order of the checks is decideBid's: open, seller, then the bid itself.
if not is_open_at(state, now) then
  return reject('AUCTION_NOT_OPEN')
end
if bidder_id == rules.seller_id then
  return reject('SELLER_CANNOT_BID')
end

-- Who leads at what price once the bid is accepted (before the reserve rule and the clock).
local price, leader_id, leader_max, kind
if buy_now then
  if not (state.bid_count == 0 and rules.buy_now_price ~= nil and amount == rules.buy_now_price) then
    return reject('BUY_NOW_UNAVAILABLE')
  end
  price, leader_id, leader_max, kind = amount, bidder_id, amount, 'buy_now'
elseif state.leader_id == nil or state.leader_max == nil then
  if amount < rules.starting_price then
    return reject('BID_TOO_LOW')
  end
  price, leader_id, leader_max, kind = rules.starting_price, bidder_id, amount, 'bid'
elseif bidder_id == state.leader_id then
  -- Raising one's own maximum never raises one's own price (only the reserve rule may).
  if amount <= state.leader_max then
    return reject('BID_TOO_LOW')
  end
  price, leader_id, leader_max, kind = state.price, bidder_id, amount, 'raise'
else
  if amount < state.price + increment(state.price) then
    return reject('BID_TOO_LOW')
  end
  local l = state.leader_max
  if amount > l then
    price, leader_id, leader_max, kind = math.min(amount, l + increment(l)), bidder_id, amount, 'bid'
  else
    -- The leader's proxy answers one increment above, capped at its maximum; a tie keeps the earlier bid.
    price, leader_id, leader_max, kind = math.min(l, amount + increment(amount)), state.leader_id, l, 'bid'
  end
end

if rules.reserve_price ~= nil and leader_max >= rules.reserve_price then
  price = math.max(price, rules.reserve_price)
end

local is_buy_now = kind == 'buy_now'
local ends_at = state.ends_at
if is_buy_now then
  ends_at = now
elseif state.ends_at - now < rules.window then
  -- Soft close pushes the end out, never in.
  ends_at = math.max(state.ends_at, now + rules.extend)
end
local extended = (not is_buy_now) and ends_at ~= state.ends_at

-- The bidder's book entry: their alias (given now at a first bid) and their new maximum.
local next_seq = state.seq + 1
local alias_count = h[16] and tonumber(h[16]) or book_alias_base(KEYS[1], state.bid_count)
local entry = decode_entry(redis.call('HGET', KEYS[4], bidder_id))
if not entry then
  alias_count = alias_count + 1
  entry = { alias = alias_count, bids = 0, retracted = false }
end
-- A doubling (double-maximum.lua) ends with the bidder's own next bid: what a retraction of that bid
-- goes back to is their own maximum, not the house's.
entry.previous = entry.live
if entry.promoted_from then
  entry.previous.max = entry.promoted_from
  entry.promoted_from = nil
end
entry.live = { max = amount, seq = next_seq, placed_at = now }
entry.bids = entry.bids + 1
redis.call('HSET', KEYS[4], bidder_id, encode_entry(entry))
local leader_alias = leader_id == bidder_id and int(entry.alias) or state.leader_alias

local next_state = {
  status = is_buy_now and 'closed' or 'open',
  starts_at = state.starts_at,
  ends_at = ends_at,
  price = price,
  leader_id = leader_id,
  leader_max = leader_max,
  seq = next_seq,
  bid_count = state.bid_count + 1,
  leader_alias = leader_alias,
}

redis.call('HSET', KEYS[1], 'status', next_state.status, 'endsAtMs', int(ends_at), 'price', int(price),
  'leaderId', leader_id, 'leaderMax', int(leader_max), 'seq', int(next_state.seq), 'bidCount',
  int(next_state.bid_count), 'aliasCount', int(alias_count), 'leaderAlias', leader_alias or '')
local entry_fields = { 'seq', int(next_state.seq), 'bidderId', bidder_id, 'amount', int(price), 'maxAmount',
  int(amount), 'kind', kind, 'placedAtMs', int(now), 'endsAtMs', int(ends_at), 'leaderId', leader_id, 'bidCount',
  int(next_state.bid_count), 'bidderAlias', int(entry.alias), 'leaderAlias', leader_alias or '' }
-- Only a traced bid carries the field: an untraced one costs nothing more in the stream.
if traceparent ~= '' then
  entry_fields[#entry_fields + 1] = 'traceparent'
  entry_fields[#entry_fields + 1] = traceparent
end
redis.call('XADD', KEYS[2], int(next_state.seq) .. '-0', unpack(entry_fields))
local wake = redis.call('SET', KEYS[3], '1', 'NX', 'PX', wake_ttl_ms) ~= false

redis.call(publish_command, events_channel, '{"type":"bid","seq":' .. int(next_state.seq)
  .. ',"price":' .. int(price)
  .. ',"leaderAlias":' .. (leader_alias or 'null')
  .. ',"minimumNextBid":' .. int(minimum_next_bid(next_state))
  .. ',"endsAtMs":' .. int(ends_at)
  .. ',"bidCount":' .. int(next_state.bid_count)
  .. ',"reserveMet":' .. tostring(reserve_met(next_state))
  .. ',"extended":' .. tostring(extended)
  .. ',"placedAtMs":' .. int(now)
  .. ',"status":' .. cjson.encode(next_state.status) .. '}')

return answer('accepted', '', kind, flag(leader_id == bidder_id), flag(extended), next_state, wake, int(entry.alias))
