"""Lua scripts that make each multi-key change one atomic step on the Redis server.

Redis runs a script without interleaving any other command, so a case is created with its
number, indexes and first audit entry together or not at all, and a lock or timer is checked
and removed in one step. Keys a script computes itself (the new case's keys) share the store's
prefix, passed in ARGV; the store therefore needs a single Redis server, not a cluster.
"""

from __future__ import annotations

# The outbox item a case change owes, written by the scripts below in the same step as the
# change: hash `outbox:item:<id>` plus its availability (microseconds) in a sorted set.
_OWE = """
local function owe(prefix, available_set, number, version, action, messages, available_us)
  local id = number .. ':v' .. version
  local item = prefix .. 'outbox:item:' .. id
  if redis.call('EXISTS', item) == 0 then
    redis.call('HSET', item, 'case_number', number, 'version', version, 'action', action,
      'messages', messages, 'delivered', 0, 'attempts', 0, 'last_error', '')
    redis.call('ZADD', available_set, available_us, id)
  end
end
"""

# KEYS: idempotency hash, sequence, index of all cases, org index, requester index,
#       outbox availability set, index-format marker, then the active-case indexes the new
#       case belongs to (active all / org / requester / assignee or unassigned / thread)
# ARGV: prefix, idempotency key, first sequence, case JSON (without number), status,
#       audit at, audit actor, audit changes JSON, case-number prefix, owed messages JSON,
#       outbox available at (microseconds), org, requester, assignee ('' for nobody),
#       thread ('' for none), index-format version
# The first case of a store sets the marker: every case of a store started by this code is
# indexed as it is written, so it never needs the build of `INDEX_CASES`.
# Returns {1, sequence} when created, {0, sequence, version, data} when the key was used before.
CREATE_CASE = (
    _OWE
    + """
local existing = redis.call('HGET', KEYS[1], ARGV[2])
if existing then
  local stored = redis.call('HMGET', ARGV[1] .. 'case:' .. existing, 'version', 'data')
  return {0, tonumber(existing), stored[1], stored[2]}
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SET', KEYS[2], tonumber(ARGV[3]) - 1)
  redis.call('SET', KEYS[7], ARGV[16], 'NX')
end
local sequence = redis.call('INCR', KEYS[2])
local case_key = ARGV[1] .. 'case:' .. sequence
redis.call('HSET', case_key, 'version', 1, 'status', ARGV[5], 'data', ARGV[4],
  'org', ARGV[12], 'requester', ARGV[13], 'assignee', ARGV[14], 'thread', ARGV[15])
redis.call('HSET', KEYS[1], ARGV[2], sequence)
redis.call('ZADD', KEYS[3], sequence, sequence)
redis.call('ZADD', KEYS[4], sequence, sequence)
redis.call('ZADD', KEYS[5], sequence, sequence)
for i = 8, #KEYS do
  redis.call('ZADD', KEYS[i], sequence, sequence)
end
redis.call('XADD', ARGV[1] .. 'audit:' .. sequence, '*',
  'at', ARGV[6], 'actor', ARGV[7], 'action', 'create', 'changes', ARGV[8])
owe(ARGV[1], KEYS[6], ARGV[9] .. sequence, 1, 'create', ARGV[10], ARGV[11])
return {1, sequence}
"""
)

# KEYS: case hash, audit stream, outbox availability set, then the active-case indexes the
#       case leaves (ARGV[13] of them) and those it joins (the rest)
# ARGV: version read, new version, new status, new case JSON, audit at, actor, action, changes,
#       prefix, case number, owed messages JSON, outbox available at (microseconds),
#       number of indexes left, sequence, new assignee ('' for nobody), new thread ('' none)
# The caller computes both index lists from the version it read, which the version check
# below proves is still the stored one, so indexes move exactly with status and assignee.
# Returns 1 when written, 0 when the case moved on (nothing written), -1 when it does not exist.
UPDATE_CASE = (
    _OWE
    + """
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return -1 end
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'status', ARGV[3], 'data', ARGV[4],
  'assignee', ARGV[15], 'thread', ARGV[16])
local left = 3 + tonumber(ARGV[13])
for i = 4, left do
  redis.call('ZREM', KEYS[i], ARGV[14])
end
for i = left + 1, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[14], ARGV[14])
end
redis.call('XADD', KEYS[2], '*',
  'at', ARGV[5], 'actor', ARGV[6], 'action', ARGV[7], 'changes', ARGV[8])
owe(ARGV[9], KEYS[3], ARGV[10], ARGV[2], ARGV[7], ARGV[11], ARGV[12])
return 1
"""
)

# Indexes cases written by code that kept no active-case indexes (one batch per call).
# KEYS: none (case and index keys come in ARGV, already prefixed). ARGV: prefix, then per
# case: sequence, version read, status, org, requester, assignee, thread, number of indexes
# n, and the n active-case index keys of that version.
# A case whose version moved on since it was read is left alone and returned, for the caller
# to read again. Idempotent, so racing builders and re-runs are harmless.
INDEX_CASES = """
local i, skipped = 2, {}
while i <= #ARGV do
  local sequence, count = ARGV[i], tonumber(ARGV[i + 7])
  local case_key = ARGV[1] .. 'case:' .. sequence
  if redis.call('HGET', case_key, 'version') == ARGV[i + 1] then
    redis.call('HSET', case_key, 'status', ARGV[i + 2], 'org', ARGV[i + 3],
      'requester', ARGV[i + 4], 'assignee', ARGV[i + 5], 'thread', ARGV[i + 6])
    for k = i + 8, i + 7 + count do
      redis.call('ZADD', ARGV[k], sequence, sequence)
    end
  else
    table.insert(skipped, sequence)
  end
  i = i + 8 + count
end
return skipped
"""

_ITEM_FIELDS = "'case_number', 'version', 'action', 'messages', 'delivered', 'attempts', " + (
    "'last_error'"
)

# KEYS: item hash, lease key, availability set; ARGV: lease ms, item id.
# The lease is SET NX with an expiry: one holder at a time, and a crashed one's lease runs out.
# Every claim counts as an attempt, so the next holder knows someone may have delivered part.
# Returns the item's fields and its availability score, or nil.
CLAIM_OUTBOX = f"""
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return nil end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
local fields = redis.call('HMGET', KEYS[1], {_ITEM_FIELDS})
table.insert(fields, redis.call('ZSCORE', KEYS[3], ARGV[2]))
return fields
"""

# KEYS: item hash; ARGV: delivered count. Never moves backwards, never revives a settled item.
ADVANCE_OUTBOX = """
local current = redis.call('HGET', KEYS[1], 'delivered')
if current and tonumber(current) < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'delivered', ARGV[1])
end
return 1
"""

# KEYS: item hash, lease key, availability set; ARGV: available at (microseconds), error, id.
# Gives the lease back: the item is available again at the given time.
RETRY_OUTBOX = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'last_error', ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[3])
redis.call('DEL', KEYS[2])
return 1
"""

# KEYS: lock key; ARGV: owner token. Deletes only the owner's lock.
RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# KEYS: due-time sorted set, payload hash; ARGV: timer id.
# Removing the id from the sorted set is the claim: exactly one caller sees 1.
REMOVE_TIMER = """
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 1 then redis.call('HDEL', KEYS[2], ARGV[1]) end
return removed
"""

# A tracker is a list with one JSON event per entry, so a turn pushes only what it added;
# older code kept one JSON array string, which is read as is and rewritten as a list by the
# next write. Events are never decoded on the server (cjson would round timestamps).
_TRACKER = """
local function events_of(key)
  if redis.call('TYPE', key)['ok'] == 'string' then
    return {'string', {redis.call('GET', key)}}
  end
  return {'list', redis.call('LRANGE', key, 0, -1)}
end
local function push(key, first, ttl)
  for i = first, #ARGV, 1000 do  -- in chunks: Lua's unpack has a limit
    redis.call('RPUSH', key, unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
  redis.call('PEXPIRE', key, ttl)
end
local function release(lock, token)
  if redis.call('GET', lock) == token then
    redis.call('DEL', lock)
    return 1
  end
  return 0
end
"""

# KEYS: tracker. Returns {'list', events} or {'string', {old-format JSON array}}.
LOAD_TRACKER = _TRACKER + "return events_of(KEYS[1])"

# KEYS: lock, seen-event key, tracker. ARGV: token, lock ms, dedup ms ('' without an event id).
# A turn's lock + de-duplication + load in one step. The lock is taken when free or already
# held with this token: the caller reuses the token of its own request that timed out (and
# may have run late), and the seen key holds the token too, so that retry is no duplicate.
# Returns {'duplicate'} (nothing locked), {'busy'}, or the tracker as LOAD_TRACKER does.
BEGIN_TURN = (
    _TRACKER
    + """
local seen = ARGV[3] ~= '' and redis.call('GET', KEYS[2])
if seen and seen ~= ARGV[1] then
  release(KEYS[1], ARGV[1])
  return {'duplicate'}
end
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return {'busy'} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3]) end
return events_of(KEYS[3])
"""
)

# KEYS: tracker, lock. ARGV: token, TTL ms, '1' to replace the whole history else '0', events.
# A turn's write + owner-checked release in one step.
# Returns 1 when the lock was still the turn's, 0 when it had expired (events written anyway).
FINISH_TURN = (
    _TRACKER
    + """
if ARGV[3] == '1' then redis.call('DEL', KEYS[1]) end
push(KEYS[1], 4, ARGV[2])
return release(KEYS[2], ARGV[1])
"""
)

# KEYS: tracker, lock. ARGV: TTL ms, '1' to refuse while the lock is held else '0', events.
# Returns 1 when appended, 0 when a turn holds the conversation, or the old-format string
# (nothing written in either case; the caller rewrites the old format with REPLACE_TRACKER).
APPEND_TRACKER = (
    _TRACKER
    + """
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('TYPE', KEYS[1])['ok'] == 'string' then return redis.call('GET', KEYS[1]) end
push(KEYS[1], 3, ARGV[1])
return 1
"""
)

# KEYS: tracker. ARGV: TTL ms, the old-format value it must still hold ('' for any), events.
# Returns 1 when written, 0 when the tracker changed since it was read (nothing written).
REPLACE_TRACKER = (
    _TRACKER
    + """
if ARGV[2] ~= '' and (redis.call('TYPE', KEYS[1])['ok'] ~= 'string'
    or redis.call('GET', KEYS[1]) ~= ARGV[2]) then
  return 0
end
redis.call('DEL', KEYS[1])
push(KEYS[1], 3, ARGV[1])
return 1
"""
)

# A page of a case query read in one step, so a list (and its count) is one round trip and
# the index values a case is matched by are read together with its JSON.
# KEYS: the index to walk (a sorted set of case sequences).
# ARGV: prefix, bound to start from ('+inf' / '-inf' / '(<sequence>'), '1' newest first,
#       cases wanted with their JSON, count matches up to this (0: no count), entries to
#       examine at most, '1' when every entry of the index matches (no filter to check),
#       statuses (',a,b,' or '' for any), then org, requester, assignee, thread: '=' plus
#       the value to match, or '*' for any.
# Returns {sequence, data, sequence, data, ...}, the count, and the bound to continue from
# (false once the index is walked to its end).
QUERY_CASES = """
local index, prefix, bound = KEYS[1], ARGV[1], ARGV[2]
local newest_first = ARGV[3] == '1'
local wanted, count_to, budget = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local exact, statuses = ARGV[7] == '1', ARGV[8]
local filters = {ARGV[9], ARGV[10], ARGV[11], ARGV[12]}
local found, taken, counted, examined = {}, 0, 0, 0
local counting = count_to > 0
if exact and counting then
  counted = math.min(redis.call('ZCARD', index), count_to)
  counting = false
end
if wanted == 0 and not counting then return {found, counted, false} end
local function matches(row)
  if row[1] == false then return false end
  if exact then return true end
  if statuses ~= '' and not string.find(statuses, ',' .. row[1] .. ',', 1, true) then
    return false
  end
  for i = 1, 4 do
    if filters[i] ~= '*' and filters[i] ~= '=' .. (row[i + 1] or '') then return false end
  end
  return true
end
while examined < budget do
  local batch = math.min(100, budget - examined)
  local page
  if newest_first then
    page = redis.call('ZREVRANGEBYSCORE', index, bound, '-inf', 'LIMIT', 0, batch)
  else
    page = redis.call('ZRANGEBYSCORE', index, bound, '+inf', 'LIMIT', 0, batch)
  end
  for _, sequence in ipairs(page) do
    examined = examined + 1
    bound = '(' .. sequence
    local case_key = prefix .. 'case:' .. sequence
    local row = redis.call('HMGET', case_key, 'status', 'org', 'requester', 'assignee', 'thread')
    if matches(row) then
      if taken < wanted then
        local data = redis.call('HGET', case_key, 'data')
        if data then
          taken = taken + 1
          found[#found + 1] = sequence
          found[#found + 1] = data
        end
      end
      if counting then counted = counted + 1 end
    end
    if taken >= wanted and (not counting or counted >= count_to) then
      return {found, counted, bound}
    end
  end
  if #page < batch then return {found, counted, false} end
end
return {found, counted, bound}
"""
