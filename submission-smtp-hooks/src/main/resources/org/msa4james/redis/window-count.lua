-- One fixed-window count, read or increased atomically: the semantics of msa4james's InMemoryWindowCounter.
-- KEYS[1]  the key's hash: s = start of its window (ms since the epoch), c = count in that window
-- ARGV[1]  amount to add (0: read without counting)
-- ARGV[2]  now, ms since the epoch (the calling node's clock: see RedisWindowCounter)
-- ARGV[3]  the window, ms
-- ARGV[4]  how long the key outlives its window, ms (clock differences between nodes)
-- Returns {count in the current window, end of that window in ms}; no window: {0, now + window}.
local amount = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 's', 'c')
local start = tonumber(stored[1])
local count = tonumber(stored[2]) or 0
if start == nil or now >= start + window then
    start = nil
    count = 0
end
if amount == 0 then
    if start == nil then
        return {0, now + window}
    end
    return {count, start + window}
end
if start == nil then
    start = now
    count = amount
    redis.call('HSET', KEYS[1], 's', ARGV[2], 'c', ARGV[1])
else
    count = redis.call('HINCRBY', KEYS[1], 'c', amount)
end
redis.call('PEXPIRE', KEYS[1], start + window - now + tonumber(ARGV[4]))
return {count, start + window}
