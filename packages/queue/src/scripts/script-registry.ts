import { ADMIT_NODES } from './admit-nodes.js';
import { CLAIM_APPLY } from './claim-apply.js';
import { DELETE_POLICY } from './delete-policy.js';
import { FINISH_ENACTMENT } from './finish-enactment.js';
import { FORGET_NODE } from './forget-node.js';
import { PUBLISH_REPORT } from './publish-report.js';
import { REMOVE_NODES } from './remove-nodes.js';
import type { ScriptDefinition } from './script-definition.js';
import { UPSERT_ROLLOUT } from './upsert-rollout.js';

/** Every Lua script of the package, registered once per connection. */
export const ALL_SCRIPTS: readonly ScriptDefinition[] = [
  UPSERT_ROLLOUT,
  ADMIT_NODES,
  FINISH_ENACTMENT,
  REMOVE_NODES,
  DELETE_POLICY,
  FORGET_NODE,
  CLAIM_APPLY,
  PUBLISH_REPORT,
];

export { ADMIT_NODES, CLAIM_APPLY, DELETE_POLICY, FINISH_ENACTMENT, FORGET_NODE, PUBLISH_REPORT, REMOVE_NODES, UPSERT_ROLLOUT };
export type { ScriptDefinition };
