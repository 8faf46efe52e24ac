import { LUA_PRELUDE, type ScriptDefinition } from './script-definition.js';

/**
 * Forgets a node that left the cluster: it is no longer in flight (nor draining for
 * the policy of its job), and its reported state is dropped. Its records are removed
 * per rollout with the remove-nodes script first.
 *
 * ARGV: root, epoch, node
 */
export const FORGET_NODE: ScriptDefinition = {
  name: 'nmfleetForgetNodeV1',
  lua: `${LUA_PRELUDE}
local epoch, node = ARGV[2], ARGV[3]
local err = fenceError(epoch)
if err then return err end
local jobId = redis.call('HGET', INFLIGHT, node)
if jobId then
  redis.call('HDEL', INFLIGHT, node)
  local policy = string.match(jobId, '^(.+)%.%d+%.%w+$')
  if policy then redis.call('SREM', drainingKey(policy), node) end
end
redis.call('DEL', P .. ':node-state:' .. node)
return cjson.encode({status = 'ok', jobId = jobId or ''})
`,
};
