/**
 * A Lua script run with EVALSHA (ioredis `defineCommand`). Every script takes the
 * key root (`nmfleet:{prefix}`) as ARGV[1] and derives its keys from it: all keys
 * of one prefix share a hash tag, so they live in one slot.
 */
export interface ScriptDefinition {
  /** Command name registered on the connection; versioned so two releases never share a cached script. */
  readonly name: string;
  readonly lua: string;
}

/**
 * Helpers every script starts with. Record transitions go through `transition`,
 * which moves the node between the per-state sets in the same script that rewrites
 * the record, so counts read from the sets can never drift from the records.
 */
export const LUA_PRELUDE = `
local P = ARGV[1]
local STATES = {'pending', 'progressing', 'available', 'failing', 'aborted', 'superseded'}
local INFLIGHT = P .. ':inflight'

local function rolloutKey(policy, gen, suffix)
  return P .. ':rollout:' .. policy .. ':' .. gen .. ':' .. suffix
end
local function drainingKey(policy)
  return P .. ':policy:' .. policy .. ':draining'
end
local function generationsKey(policy)
  return P .. ':policy:' .. policy .. ':generations'
end
local function fenceError(epoch)
  local current = redis.call('GET', P .. ':leader-epoch')
  if current ~= epoch then
    return redis.error_reply('FENCED leader epoch ' .. tostring(epoch) .. ' is no longer current (now ' .. tostring(current) .. ')')
  end
  return nil
end
local function counts(policy, gen)
  local out = {}
  for i, state in ipairs(STATES) do
    out[i] = redis.call('SCARD', rolloutKey(policy, gen, state))
  end
  out[#STATES + 1] = redis.call('SCARD', drainingKey(policy))
  return out
end
local function addMembers(key, members)
  for i = 1, #members, 1000 do
    redis.call('SADD', key, unpack(members, i, math.min(i + 999, #members)))
  end
end
local function readRecord(policy, gen, node)
  local raw = redis.call('HGET', rolloutKey(policy, gen, 'records'), node)
  if not raw then return nil end
  return cjson.decode(raw)
end
local function writeRecord(policy, gen, node, rec)
  redis.call('HSET', rolloutKey(policy, gen, 'records'), node, cjson.encode(rec))
end
local function transition(policy, gen, node, rec, to)
  if rec.s ~= to then
    redis.call('SREM', rolloutKey(policy, gen, rec.s), node)
    redis.call('SADD', rolloutKey(policy, gen, to), node)
    rec.s = to
  end
  writeRecord(policy, gen, node, rec)
end
local function deleteRollout(policy, gen)
  local keys = {rolloutKey(policy, gen, 'meta'), rolloutKey(policy, gen, 'records'), rolloutKey(policy, gen, 'desired')}
  for _, state in ipairs(STATES) do
    keys[#keys + 1] = rolloutKey(policy, gen, state)
  end
  redis.call('DEL', unpack(keys))
  redis.call('SREM', generationsKey(policy), gen)
end
local function releaseFlight(node, jobId)
  if redis.call('HGET', INFLIGHT, node) == jobId then
    redis.call('HDEL', INFLIGHT, node)
    return true
  end
  return false
end
local function retirePolicy(policy)
  local inflight = {}
  for _, gen in ipairs(redis.call('SMEMBERS', generationsKey(policy))) do
    for _, node in ipairs(redis.call('SMEMBERS', rolloutKey(policy, gen, 'progressing'))) do
      inflight[#inflight + 1] = {node = node, jobId = cjson.decode(redis.call('HGET', rolloutKey(policy, gen, 'records'), node)).j}
    end
    deleteRollout(policy, gen)
  end
  redis.call('DEL', drainingKey(policy), generationsKey(policy))
  redis.call('HDEL', P .. ':rollouts', policy)
  return inflight
end
local function unavailableCount(policy, gen)
  return redis.call('SCARD', rolloutKey(policy, gen, 'progressing'))
    + redis.call('SCARD', rolloutKey(policy, gen, 'failing'))
    + redis.call('SCARD', drainingKey(policy))
end
local function admitCandidate(policy, gen, node, jobId, hash, now, epochNumber, maxUnavailable, unavailable)
  local rec = readRecord(policy, gen, node)
  if not rec then return 'missing', unavailable end
  if rec.s == 'progressing' and rec.ep == epochNumber and rec.j == jobId then return 'admitted', unavailable end
  if rec.s ~= 'pending' then return rec.s, unavailable end
  if redis.call('HEXISTS', INFLIGHT, node) == 1 then return 'busy', unavailable end
  if unavailable >= maxUnavailable then return 'full', unavailable end
  rec.a = now
  rec.h = hash
  rec.ep = epochNumber
  rec.j = jobId
  transition(policy, gen, node, rec, 'progressing')
  redis.call('HSET', INFLIGHT, node, jobId)
  return 'admitted', unavailable + 1
end
local function isDegraded(policy, gen)
  local maxUnavailable = tonumber(redis.call('HGET', rolloutKey(policy, gen, 'meta'), 'maxUnavailable'))
  return maxUnavailable ~= nil and redis.call('SCARD', rolloutKey(policy, gen, 'failing')) >= maxUnavailable
end
local function abortPending(policy, gen, now)
  local pending = redis.call('SMEMBERS', rolloutKey(policy, gen, 'pending'))
  for _, node in ipairs(pending) do
    local rec = readRecord(policy, gen, node)
    rec.s = 'aborted'
    rec.f = now
    writeRecord(policy, gen, node, rec)
  end
  if #pending > 0 then
    addMembers(rolloutKey(policy, gen, 'aborted'), pending)
    redis.call('DEL', rolloutKey(policy, gen, 'pending'))
  end
  return pending
end
`;
