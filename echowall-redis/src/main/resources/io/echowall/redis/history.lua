-- Reads a page of a room's history and where the history stands, after dropping what aged out.
-- KEYS: 1 log, 2 history
-- ARGV: 1 an epoch should the room have none, 2 after this offset, 3 at most this many messages,
--       4 history age (ms), 5 how long the log outlives the last message (ms)
-- Returns {epoch, oldest offset kept (latest + 1: none), latest offset, {{id, {kind, payload}}, ...}}.
local epoch = room_epoch(KEYS[1], KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local latest = tonumber(redis.call('HGET', KEYS[1], 'offset'))
trim_older(KEYS[2], now_ms() - tonumber(ARGV[4]), latest)
local head = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
local oldest = latest + 1
if head then
  oldest = parse(head[1])
end
local after, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local page = {}
if limit > 0 and after < latest then
  page = redis.call('XRANGE', KEYS[2], int(math.max(after + 1, oldest)), '+', 'COUNT', limit)
end
return {epoch, oldest, latest, page}
