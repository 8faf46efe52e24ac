import { LUA_PRELUDE, type ScriptDefinition } from './script-definition.js';

/**
 * The agent's check before it applies a job: the rollout must be active, the record
 * progressing and admitted with this very job id, and no outcome reported yet. A
 * claim counts an attempt. `done` means the outcome is already reported (the job
 * was redelivered after the agent died between reporting and completing it): the
 * agent finishes the job without applying or reporting again.
 *
 * ARGV: root, policy, generation, node, jobId, now
 * Result: {action = apply|skip|done, reason, attempt}
 */
export const CLAIM_APPLY: ScriptDefinition = {
  name: 'nmfleetClaimApplyV1',
  lua: `${LUA_PRELUDE}
local policy, gen, node, jobId, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local rec = readRecord(policy, gen, node)
if not rec or rec.j ~= jobId then
  return cjson.encode({action = 'skip', reason = 'the policy generation has no record admitted for this job'})
end
if rec.r then
  return cjson.encode({action = 'done', reason = 'outcome already reported: ' .. rec.r})
end
local status = redis.call('HGET', rolloutKey(policy, gen, 'meta'), 'status')
if status ~= 'active' then
  return cjson.encode({action = 'skip', reason = 'the policy generation is ' .. tostring(status)})
end
if rec.s ~= 'progressing' then
  return cjson.encode({action = 'skip', reason = 'the record is ' .. rec.s})
end
rec.n = (rec.n or 0) + 1
rec.st = now
writeRecord(policy, gen, node, rec)
return cjson.encode({action = 'apply', attempt = rec.n})
`,
};
