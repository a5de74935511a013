-- Sets how many connections one server holds for a user in a room, and decides joins and leaves.
-- The count is absolute, not a delta, so that running this twice (a retry, a repair) changes nothing.
-- KEYS: 1 users (zset), 2 total (hash user -> connections anywhere), 3 leaving (zset user -> leave time),
--       4 this server's connections in the room (hash user -> connections)
-- ARGV: 1 user, 2 connections, 3 grace in ms, 4 presence channel, 5 encoded room,
--       6 '1' to add the user without announcing it (a repair after Redis lost its data)
-- Returns the ms after which a sweep must run for the leave this scheduled, or -1.
local user, count = ARGV[1], tonumber(ARGV[2])
local old = tonumber(redis.call('HGET', KEYS[4], user) or '0')
if count == old then
  return -1
end
if count == 0 then
  redis.call('HDEL', KEYS[4], user)
else
  redis.call('HSET', KEYS[4], user, count)
end
local total = redis.call('HINCRBY', KEYS[2], user, count - old)
if total <= 0 then
  redis.call('HDEL', KEYS[2], user)
  local grace = tonumber(ARGV[3])
  if grace <= 0 then
    -- No grace period (a connection that was a user of its own): it leaves now, if it was present.
    redis.call('ZREM', KEYS[3], user)
    if redis.call('ZREM', KEYS[1], user) == 1 then
      redis.call('PUBLISH', ARGV[4], 'L' .. ARGV[5] .. user)
    end
    return -1
  end
  if redis.call('ZSCORE', KEYS[1], user) then
    local t = redis.call('TIME')
    redis.call('ZADD', KEYS[3], t[1] * 1000 + math.floor(t[2] / 1000) + grace, user)
    return grace
  end
  return -1
end
if total == count - old then
  -- Nobody held the user before this change: back within the grace period, or a join.
  if redis.call('ZREM', KEYS[3], user) == 0 and redis.call('ZADD', KEYS[1], 'NX', 0, user) == 1
      and ARGV[6] ~= '1' then
    redis.call('PUBLISH', ARGV[4], 'J' .. ARGV[5] .. user)
  end
end
return -1
