-- Renews, takes or gives up a server's lease, and names the data set (a new name: Redis lost its data).
-- KEYS: 1 servers (zset server -> lease end in ms), 2 epoch (the data set's name)
-- ARGV: 1 server, 2 lease in ms, 3 a name for the data set should it have none,
--       4 'renew' (only while held), 'take' or 'end' (the lease ends now)
-- Returns {1 if the server holds its lease now, the data set's name}.
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  epoch = ARGV[3]
  redis.call('SET', KEYS[2], epoch)
end
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ARGV[4] == 'take' or (held and ARGV[4] == 'renew') then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  return {1, epoch}
end
if held and ARGV[4] == 'end' then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
end
return {0, epoch}
