-- Shared by publish.lua and history.lua (prepended to each): a room's log and history. A room's
-- history is a stream whose entry ids are '<offset>-<ms>': the room's consecutive offsets first, so XRANGE finds an offset in O(log n),
-- and Redis's clock when the entry was added second, never decreasing, so that ids also sort by time.
local function int(n)
  return string.format('%.0f', n)
end

local function parse(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end

local function now_ms()
  local t = redis.call('TIME')
  return t[1] * 1000 + math.floor(t[2] / 1000)
end

-- Removes the entries added before cutoff (ms), oldest first: a binary search by offset for the first
-- young enough, then XTRIM MINID, so trimming costs O(log^2 n) whatever the number of entries removed.
local function trim_older(stream, cutoff, latest)
  local head = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
  if not head then
    return
  end
  local old, at = parse(head[1])
  if at >= cutoff then
    return
  end
  local young = latest + 1
  while young - old > 1 do
    local mid = math.floor((old + young) / 2)
    local entry = redis.call('XRANGE', stream, int(mid), int(mid))[1]
    if entry and select(2, parse(entry[1])) >= cutoff then
      young = mid
    else
      old = mid
    end
  end
  if young > latest then
    redis.call('DEL', stream)
  else
    redis.call('XTRIM', stream, 'MINID', int(young))
  end
end

-- The room's epoch, made from candidate (and its history dropped) when the room has none: new, or its
-- log was lost (flushed, evicted, expired).
local function room_epoch(log, stream, candidate)
  local epoch = redis.call('HGET', log, 'epoch')
  if not epoch then
    epoch = candidate
    redis.call('DEL', stream)
    redis.call('HSET', log, 'epoch', epoch, 'offset', 0, 'time', 0)
  end
  return epoch
end
