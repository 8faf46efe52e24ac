import { LUA_PRELUDE, type ScriptDefinition } from './script-definition.js';

/**
 * Deletes every rollout of a deleted policy. Nodes still applying one of its jobs
 * stay in `inflight` (they are busy) until their report arrives or the coordinator
 * cancels their waiting job; the result lists them.
 *
 * ARGV: root, epoch, policy
 */
export const DELETE_POLICY: ScriptDefinition = {
  name: 'nmfleetDeletePolicyV1',
  lua: `${LUA_PRELUDE}
local epoch, policy = ARGV[2], ARGV[3]
local err = fenceError(epoch)
if err then return err end
return cjson.encode({status = 'ok', retired = retirePolicy(policy)})
`,
};
