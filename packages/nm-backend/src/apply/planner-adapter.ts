import type { NetworkState } from '@nmfleet/model';
import { planState, verifyState, type StateDoc } from '@nmfleet/planner';
import type { StatePlanner } from './planner-port.js';

/** `@nmfleet/planner` behind {@link StatePlanner}; the apply pipeline turns its errors into `invalid-state`. */
export const defaultPlanner: StatePlanner = {
  planChanges: (desired, current) => planState(asDoc(desired), asDoc(current)),
  verifyState: (desired, current) =>
    verifyState(asDoc(desired), asDoc(current)).map((m) => ({ path: m.path, expected: m.expected, actual: m.actual, message: m.message })),
};

function asDoc(state: NetworkState): StateDoc {
  return state as unknown as StateDoc;
}
