-- Removes the connections a dead server held in a room. Its users without a connection left anywhere
-- start their grace period, counted from when the server's lease lapsed. Running it twice does nothing more.
-- KEYS: 1 users, 2 total, 3 leaving, 4 the dead server's connections in the room
-- ARGV: 1 the time its lease lapsed (ms), 2 grace in ms
-- Returns the ms until those users' leaves are due (0: now).
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local leaveAt = math.max(now, tonumber(ARGV[1]) + tonumber(ARGV[2]))
local held = redis.call('HGETALL', KEYS[4])
for i = 1, #held, 2 do
  local user = held[i]
  if redis.call('HINCRBY', KEYS[2], user, -tonumber(held[i + 1])) <= 0 then
    redis.call('HDEL', KEYS[2], user)
    if redis.call('ZSCORE', KEYS[1], user) then
      redis.call('ZADD', KEYS[3], leaveAt, user)
    end
  end
end
redis.call('DEL', KEYS[4])
return leaveAt - now
