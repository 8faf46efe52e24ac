import { LUA_PRELUDE, type ScriptDefinition } from './script-definition.js';

/**
 * Admission, atomically per candidate: the caller is the current leader (fencing
 * epoch), the rollout is active, the record is pending, the node applies nothing
 * else (`inflight`), and progressing + failing + draining < maxUnavailable. An
 * admitted record becomes progressing, remembers its job id and desired-state hash,
 * and the node is marked in flight with that job id. A record this epoch already
 * admitted with this job id answers `admitted` again, so a retried call after a
 * lost reply is harmless.
 *
 * ARGV: root, epoch, policy, generation, jobId, now, (node, desiredHash)...
 * Result per node: admitted | busy | full | missing | <state it is in>.
 */
export const ADMIT_NODES: ScriptDefinition = {
  name: 'nmfleetAdmitNodesV2',
  lua: `${LUA_PRELUDE}
local epoch, policy, gen, jobId, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local err = fenceError(epoch)
if err then return err end
local meta = rolloutKey(policy, gen, 'meta')
local status = redis.call('HGET', meta, 'status')
if status ~= 'active' then
  return cjson.encode({status = 'inactive', rolloutStatus = status or 'missing'})
end
local maxUnavailable = tonumber(redis.call('HGET', meta, 'maxUnavailable'))
local unavailable = unavailableCount(policy, gen)
local epochNumber = tonumber(epoch)
local results = {}
for i = 7, #ARGV, 2 do
  local node = ARGV[i]
  results[node], unavailable = admitCandidate(policy, gen, node, jobId, ARGV[i + 1], now, epochNumber, maxUnavailable, unavailable)
end
return cjson.encode({status = 'ok', results = results, counts = counts(policy, gen)})
`,
};
