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
#       outbox availability set
# ARGV: prefix, idempotency key, first sequence, case JSON (without number), status,
#       audit at, audit actor, audit changes JSON, case-number prefix, owed messages JSON,
#       outbox available at (microseconds)
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
end
local sequence = redis.call('INCR', KEYS[2])
local case_key = ARGV[1] .. 'case:' .. sequence
redis.call('HSET', case_key, 'version', 1, 'status', ARGV[5], 'data', ARGV[4])
redis.call('HSET', KEYS[1], ARGV[2], sequence)
redis.call('ZADD', KEYS[3], sequence, sequence)
redis.call('ZADD', KEYS[4], sequence, sequence)
redis.call('ZADD', KEYS[5], sequence, sequence)
redis.call('XADD', ARGV[1] .. 'audit:' .. sequence, '*',
  'at', ARGV[6], 'actor', ARGV[7], 'action', 'create', 'changes', ARGV[8])
owe(ARGV[1], KEYS[6], ARGV[9] .. sequence, 1, 'create', ARGV[10], ARGV[11])
return {1, sequence}
"""
)

# KEYS: case hash, audit stream, outbox availability set
# ARGV: version read, new version, new status, new case JSON, audit at, actor, action, changes,
#       prefix, case number, owed messages JSON, outbox available at (microseconds)
# Returns 1 when written, 0 when the case moved on (nothing written), -1 when it does not exist.
UPDATE_CASE = (
    _OWE
    + """
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return -1 end
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'status', ARGV[3], 'data', ARGV[4])
redis.call('XADD', KEYS[2], '*',
  'at', ARGV[5], 'actor', ARGV[6], 'action', ARGV[7], 'changes', ARGV[8])
owe(ARGV[9], KEYS[3], ARGV[10], ARGV[2], ARGV[7], ARGV[11], ARGV[12])
return 1
"""
)

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

# KEYS: tracker; ARGV: the new events as a JSON array, TTL in ms.
# Joins the arrays as text ("[a,b]" + "[c]" -> "[a,b,c]"), so nothing is decoded on the server.
APPEND_TRACKER = """
local current = redis.call('GET', KEYS[1])
local joined = ARGV[1]
if current and current ~= '[]' then
  joined = string.sub(current, 1, -2) .. ',' .. string.sub(ARGV[1], 2)
end
redis.call('SET', KEYS[1], joined, 'PX', ARGV[2])
return 1
"""
