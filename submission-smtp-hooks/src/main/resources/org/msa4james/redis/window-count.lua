-- Fixed-window counts, read or increased atomically: the semantics of msa4james's InMemoryWindowCounter.
-- KEYS[i]    a key's hash: s = start of its window (ms since the epoch), c = count in that window
-- ARGV[1]    now, ms since the epoch (the calling node's clock: see RedisWindowCounter)
-- ARGV[2]    the window, ms
-- ARGV[3]    how long a key outlives its window, ms (clock differences between nodes)
-- ARGV[3+i]  amount to add to KEYS[i] (0: read without counting)
-- Returns, for each key, its count in the current window and the end of that window in ms; no window: 0, now + window.
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local margin = tonumber(ARGV[3])
local result = {}
for i, key in ipairs(KEYS) do
    local amount = tonumber(ARGV[3 + i])
    local stored = redis.call('HMGET', key, 's', 'c')
    local start = tonumber(stored[1])
    local count = tonumber(stored[2]) or 0
    if start == nil or now >= start + window then
        start = nil
        count = 0
    end
    if amount > 0 then
        if start == nil then
            start = now
            count = amount
            redis.call('HSET', key, 's', ARGV[1], 'c', ARGV[3 + i])
        else
            count = redis.call('HINCRBY', key, 'c', amount)
        end
        redis.call('PEXPIRE', key, start + window - now + margin)
    end
    result[2 * i - 1] = count
    result[2 * i] = (start or now) + window
end
return result
