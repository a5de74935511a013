-- Claims servers whose lease lapsed, and claims whose reaper did not finish in time, so that exactly one
-- live server reaps each. A claimed server leaves the lease set at once: should it come back, it finds
-- its lease gone and registers anew.
-- KEYS: 1 servers, 2 reaping (zset server -> claim end), 3 lapsed (hash server -> lease end)
-- ARGV: 1 how long a claim holds (ms), 2 most servers to claim
-- Returns {server, lease end, ...}.
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local limit = tonumber(ARGV[2])
local claimed = {}
for _, entry in ipairs({{KEYS[1], true}, {KEYS[2], false}}) do
  local due = redis.call('ZRANGEBYSCORE', entry[1], '-inf', '(' .. now, 'WITHSCORES', 'LIMIT', 0, limit)
  for i = 1, #due, 2 do
    local server = due[i]
    local leaseEnd = due[i + 1]
    if entry[2] then
      redis.call('ZREM', KEYS[1], server)
      redis.call('HSET', KEYS[3], server, leaseEnd)
    else
      leaseEnd = redis.call('HGET', KEYS[3], server) or now
    end
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), server)
    table.insert(claimed, server)
    table.insert(claimed, tostring(leaseEnd))
  end
end
return claimed
