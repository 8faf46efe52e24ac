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
 * ARGV: root, epoch, policy, generation, node, jobId, outcome, now, error
 */
export const FINISH_ENACTMENT: ScriptDefinition = {
  name: 'nmfleetFinishEnactmentV1',
  lua: `${LUA_PRELUDE}
local epoch, policy, gen, node, jobId, outcome = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local now, message = tonumber(ARGV[8]), ARGV[9]
local err = fenceError(epoch)
if err then return err end
local released = releaseFlight(node, jobId)
local status = redis.call('HGET', rolloutKey(policy, gen, 'meta'), 'status')
local rec = readRecord(policy, gen, node)
if not rec or rec.j ~= jobId then
  if released then redis.call('SREM', drainingKey(policy), node) end
  return cjson.encode({status = 'gone', released = released})
end
if rec.s ~= 'pending' and rec.s ~= 'progressing' then
  return cjson.encode({status = 'duplicate', state = rec.s, released = released, counts = counts(policy, gen)})
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
    return cjson.encode({status = 'ok', state = to, released = released, retired = true})
  end
elseif status == 'active' and to == 'failing' and isDegraded(policy, gen) then
  aborted = abortPending(policy, gen, now)
end
return cjson.encode({status = 'ok', state = to, released = released, aborted = aborted, counts = counts(policy, gen)})
`,
};
