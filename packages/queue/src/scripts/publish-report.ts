import { LUA_PRELUDE, type ScriptDefinition } from './script-definition.js';

/**
 * The agent's report, atomically: the outcome is marked on the record (so no agent
 * applies that job again), the node's state is stored when it changed, and the
 * report is appended to the report stream for the coordinator (with the state, when
 * given: the caller sends it once).
 *
 * ARGV: root, policy ('' for a state-only report), generation, node, jobId, outcome,
 *       stateHash, stateJson ('' when unchanged), now, field, value, ...
 * Result: the stream entry id.
 */
export const PUBLISH_REPORT: ScriptDefinition = {
  name: 'nmfleetPublishReportV2',
  lua: `${LUA_PRELUDE}
local policy, gen, node, jobId, outcome = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local stateHash, stateJson, now = ARGV[7], ARGV[8], ARGV[9]
if policy ~= '' and (outcome == 'available' or outcome == 'failing') then
  local rec = readRecord(policy, gen, node)
  if rec and rec.j == jobId and not rec.r then
    rec.r = outcome
    writeRecord(policy, gen, node, rec)
  end
end
if stateJson ~= '' then
  redis.call('HSET', P .. ':node-state:' .. node, 'hash', stateHash, 'state', stateJson, 'updatedAt', now)
end
local fields = {}
for i = 10, #ARGV do fields[#fields + 1] = ARGV[i] end
if stateJson ~= '' then
  fields[#fields + 1] = 'state'
  fields[#fields + 1] = stateJson
end
return redis.call('XADD', P .. ':reports', '*', unpack(fields))
`,
};
