-- A reaper finished with a dead server: forget it.
-- KEYS: 1 reaping, 2 lapsed, 3 the dead server's rooms. ARGV: 1 server.
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
return 1
