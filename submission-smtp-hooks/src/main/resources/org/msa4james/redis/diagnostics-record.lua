-- Counts one occurrence of a client defect atomically, and keeps the store bounded: the semantics of msa4james's
-- InMemoryDiagnosticsStore, shared by every node.
-- KEYS[1]  hash of the entries: field = the encoded (subject, client software, defect), value = "count first last"
--          (first and last seen, ms since the epoch)
-- KEYS[2]  sorted set of the same fields, scored by when each was last recorded (a sequence number)
-- KEYS[3]  that sequence
-- ARGV[1]  the field; ARGV[2] when, ms since the epoch; ARGV[3] the most entries kept
-- Returns 1 when the entry is new, else 0. Beyond the most entries, those recorded least recently are evicted.
local entry = redis.call('HGET', KEYS[1], ARGV[1])
local new = 0
if entry then
    local count, first, last = string.match(entry, '^(%d+) (%d+) (%d+)$')
    if tonumber(ARGV[2]) > tonumber(last) then
        last = ARGV[2]
    end
    redis.call('HSET', KEYS[1], ARGV[1], string.format('%d', tonumber(count) + 1) .. ' ' .. first .. ' ' .. last)
else
    new = 1
    redis.call('HSET', KEYS[1], ARGV[1], '1 ' .. ARGV[2] .. ' ' .. ARGV[2])
end
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if excess > 0 then
    local evicted = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
    redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
    redis.call('HDEL', KEYS[1], unpack(evicted))
end
return new
