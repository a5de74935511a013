-- Publishes a message to a room: dedupe, the next offset, the history, then the channel, in one step,
-- so that every subscriber gets the room's messages in offset order and the history holds each one
-- before any server can see it live.
-- KEYS: 1 log (hash: epoch, offset, time of the last message in ms), 2 history (stream),
--       3 (optional) the idempotency key's record
-- ARGV: 1 an epoch should the room have none, 2 history size, 3 history age (ms), 4 how long the log
--       outlives the last message (ms), 5 dedupe window (ms), 6 'PUBLISH' or 'SPUBLISH', 7 channel,
--       8 kind ('t' text, 'b' binary), 9 the tag as the frame carries it, 10 the payload
-- Returns {1 if applied, 0 if the key was seen, epoch, offset}.
if KEYS[3] then
  local seen = redis.call('GET', KEYS[3])
  if seen then
    local space = string.find(seen, ' ', 1, true)
    return {0, string.sub(seen, 1, space - 1), tonumber(string.sub(seen, space + 1))}
  end
end
local epoch = room_epoch(KEYS[1], KEYS[2], ARGV[1])
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
local now = math.max(now_ms(), tonumber(redis.call('HGET', KEYS[1], 'time') or '0'))
redis.call('HSET', KEYS[1], 'time', int(now))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local size, age = tonumber(ARGV[2]), tonumber(ARGV[3])
if size > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', size, int(offset) .. '-' .. int(now), ARGV[8], ARGV[10])
  trim_older(KEYS[2], now - age, offset)
  redis.call('PEXPIRE', KEYS[2], age)
else
  redis.call('DEL', KEYS[2])
end
if KEYS[3] then
  redis.call('SET', KEYS[3], epoch .. ' ' .. int(offset), 'PX', ARGV[5])
end
redis.call(ARGV[6], ARGV[7], ARGV[8] .. epoch .. ' ' .. int(offset) .. ' ' .. ARGV[9] .. ARGV[10])
return {1, epoch, offset}
