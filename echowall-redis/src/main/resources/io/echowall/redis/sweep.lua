-- Ends the grace period of the users of a room whose time is up: each one still without a connection
-- leaves, once, announced on the presence channel.
-- KEYS: 1 users, 2 total, 3 leaving. ARGV: 1 presence channel, 2 encoded room.
-- Returns the ms until the next pending leave of the room, or -1 if none is pending.
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
for _, user in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('ZREM', KEYS[3], user)
  if not redis.call('HGET', KEYS[2], user) and redis.call('ZREM', KEYS[1], user) == 1 then
    redis.call('PUBLISH', ARGV[1], 'L' .. ARGV[2] .. user)
  end
end
local next = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
if next[2] then
  return math.max(0, tonumber(next[2]) - now)
end
return -1
