import { LUA_PRELUDE, type ScriptDefinition } from './script-definition.js';

/**
 * Removes the records of nodes that no longer match a policy (labels changed, node
 * deleted). A node removed while it still applies the record's job keeps counting as
 * unavailable (the policy's draining set) until its report arrives or it is forgotten;
 * a node no longer in flight (forgotten) does not.
 *
 * ARGV: root, epoch, policy, generation, node...
 */
export const REMOVE_NODES: ScriptDefinition = {
  name: 'nmfleetRemoveNodesV1',
  lua: `${LUA_PRELUDE}
local epoch, policy, gen = ARGV[2], ARGV[3], ARGV[4]
local err = fenceError(epoch)
if err then return err end
local removed = {}
for i = 5, #ARGV do
  local node = ARGV[i]
  local rec = readRecord(policy, gen, node)
  if rec then
    if rec.s == 'progressing' and rec.j ~= nil and redis.call('HGET', INFLIGHT, node) == rec.j then
      redis.call('SADD', drainingKey(policy), node)
    end
    redis.call('SREM', rolloutKey(policy, gen, rec.s), node)
    redis.call('HDEL', rolloutKey(policy, gen, 'records'), node)
    removed[#removed + 1] = node
  end
end
return cjson.encode({status = 'ok', removed = removed, counts = counts(policy, gen)})
`,
};
