import { LUA_PRELUDE, type ScriptDefinition } from './script-definition.js';

/**
 * Creates or extends the rollout of one policy generation: pending records for
 * nodes that have none, the resolved maxUnavailable, and the active-generation
 * index. An older active generation is superseded in the same script: its pending
 * records end `superseded`, its progressing nodes keep counting as unavailable
 * (the policy's draining set) until their reports arrive. A different policy UID
 * under the same name (deleted and re-created while nobody watched) retires every
 * rollout of the old object first. Records created while the rollout is degraded
 * start aborted.
 *
 * ARGV: root, epoch, policy, generation, uid, maxUnavailable, now, node...
 */
export const UPSERT_ROLLOUT: ScriptDefinition = {
  name: 'nmfleetUpsertRolloutV1',
  lua: `${LUA_PRELUDE}
local epoch, policy, gen, uid = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local maxUnavailable, now = ARGV[6], tonumber(ARGV[7])
local err = fenceError(epoch)
if err then return err end

local superseded, retired = {}, {}
local active = redis.call('HGET', P .. ':rollouts', policy)
if active and redis.call('HGET', rolloutKey(policy, active, 'meta'), 'uid') ~= uid then
  retired = retirePolicy(policy)
  active = nil
end
if active and tonumber(active) > tonumber(gen) then
  return cjson.encode({status = 'stale', active = tonumber(active)})
end
if active and tonumber(active) < tonumber(gen) then
  redis.call('HSET', rolloutKey(policy, active, 'meta'), 'status', 'superseded')
  local pending = redis.call('SMEMBERS', rolloutKey(policy, active, 'pending'))
  for _, node in ipairs(pending) do
    local rec = readRecord(policy, active, node)
    rec.s = 'superseded'
    rec.f = now
    writeRecord(policy, active, node, rec)
  end
  if #pending > 0 then
    addMembers(rolloutKey(policy, active, 'superseded'), pending)
    redis.call('DEL', rolloutKey(policy, active, 'pending'))
  end
  local progressing = redis.call('SMEMBERS', rolloutKey(policy, active, 'progressing'))
  for _, node in ipairs(progressing) do
    superseded[#superseded + 1] = {node = node, jobId = readRecord(policy, active, node).j}
  end
  if #progressing > 0 then
    addMembers(drainingKey(policy), progressing)
  else
    deleteRollout(policy, active)
  end
end

local meta = rolloutKey(policy, gen, 'meta')
local status = redis.call('HGET', meta, 'status')
if status and status ~= 'active' then
  return cjson.encode({status = 'inactive', rolloutStatus = status})
end
if not status then
  redis.call('HSET', meta, 'status', 'active', 'uid', uid, 'createdAt', now)
end
redis.call('HSET', meta, 'maxUnavailable', maxUnavailable)
redis.call('HSET', P .. ':rollouts', policy, gen)
redis.call('SADD', generationsKey(policy), gen)

local degraded = isDegraded(policy, gen)
local created, aborted = {}, {}
local records = rolloutKey(policy, gen, 'records')
for i = 8, #ARGV do
  local node = ARGV[i]
  local rec = {s = 'pending', c = now, n = 0}
  if degraded then
    rec.s = 'aborted'
    rec.f = now
  end
  if redis.call('HSETNX', records, node, cjson.encode(rec)) == 1 then
    redis.call('SADD', rolloutKey(policy, gen, rec.s), node)
    if degraded then aborted[#aborted + 1] = node else created[#created + 1] = node end
  end
end
return cjson.encode({status = 'ok', created = created, aborted = aborted, superseded = superseded, retired = retired,
  counts = counts(policy, gen)})
`,
};
