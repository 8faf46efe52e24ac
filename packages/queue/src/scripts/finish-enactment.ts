import { LUA_PRELUDE, type ScriptDefinition } from './script-definition.js';

/**
 * Records the end of one job: the agent's outcome (`available`, `failing`), an
 * agent's `skipped`, or the coordinator's `cancelled` (a waiting job it removed).
 * Idempotent: a record already final answers `duplicate` and changes nothing; a
 * report whose job id is not the record's (an older incarnation of the policy, or
 * a record since removed) answers `gone` and only releases the node. The node leaves
 * `inflight` when it was in flight for this job. A failure that brings failing to
 * maxUnavailable aborts every pending record of the rollout in the same script. The
 * last report of a superseded generation deletes its keys. Skipped or cancelled
 * records of an active rollout go back to pending.
 *
 * When the node was released and a next job is named, the node is admitted to it in
 * the same script, with admit-nodes' checks (rollout active, record pending, node idle,
 * a free slot): a node starts its next admissible job one round trip after its report.
 *
 * ARGV: root, epoch, policy, generation, node, jobId, outcome, now, error,
 *       [nextPolicy, nextGeneration, nextJobId, nextDesiredHash]
 * Result: {status, …, next = {status = ok|inactive, result, counts}} (next only when named and released)
 */
export const FINISH_ENACTMENT: ScriptDefinition = {
  name: 'nmfleetFinishEnactmentV2',
  lua: `${LUA_PRELUDE}
local epoch, policy, gen, node, jobId, outcome = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local now, message = tonumber(ARGV[8]), ARGV[9]
local err = fenceError(epoch)
if err then return err end

local function finish()
  local released = releaseFlight(node, jobId)
  local status = redis.call('HGET', rolloutKey(policy, gen, 'meta'), 'status')
  local rec = readRecord(policy, gen, node)
  if not rec or rec.j ~= jobId then
    if released then redis.call('SREM', drainingKey(policy), node) end
    return {status = 'gone', released = released}
  end
  if rec.s ~= 'pending' and rec.s ~= 'progressing' then
    return {status = 'duplicate', state = rec.s, released = released, counts = counts(policy, gen)}
  end
  local to
  if outcome == 'available' or outcome == 'failing' then
    to = outcome
  elseif status == 'active' then
    to = 'pending'
  else
    to = 'superseded'
  end
  if to ~= 'pending' then rec.f = now end
  if message ~= '' then rec.e = message end
  transition(policy, gen, node, rec, to)
  local aborted = {}
  if status == 'superseded' then
    if released then redis.call('SREM', drainingKey(policy), node) end
    if redis.call('SCARD', rolloutKey(policy, gen, 'progressing')) == 0 then
      deleteRollout(policy, gen)
      return {status = 'ok', state = to, released = released, retired = true}
    end
  elseif status == 'active' and to == 'failing' and isDegraded(policy, gen) then
    aborted = abortPending(policy, gen, now)
  end
  return {status = 'ok', state = to, released = released, aborted = aborted, counts = counts(policy, gen)}
end

local result = finish()
local nextPolicy = ARGV[10]
if nextPolicy and nextPolicy ~= '' and result.released then
  local nextGen, nextJobId, nextHash = ARGV[11], ARGV[12], ARGV[13]
  local meta = rolloutKey(nextPolicy, nextGen, 'meta')
  local nextStatus = redis.call('HGET', meta, 'status')
  if nextStatus ~= 'active' then
    result.next = {status = 'inactive', rolloutStatus = nextStatus or 'missing'}
  else
    local maxUnavailable = tonumber(redis.call('HGET', meta, 'maxUnavailable'))
    local admitted = admitCandidate(nextPolicy, nextGen, node, nextJobId, nextHash, now, tonumber(epoch), maxUnavailable, unavailableCount(nextPolicy, nextGen))
    result.next = {status = 'ok', result = admitted, counts = counts(nextPolicy, nextGen)}
  end
end
return cjson.encode(result)
`,
};
