/**
 * The kinds of failure the planner reports. Callers branch on `kind`, never on
 * the message text.
 *
 * - `invalid-argument`: the input state or policy is malformed or contradicts itself
 *   (a port claimed by two controllers, a VLAN on an interface that does not exist…).
 * - `policy`: an nmpolicy `capture` expression or `{{ }}` template could not be parsed
 *   or resolved; `line` and `position` point into the offending expression.
 * - `dependency-cycle`: the plan cannot be ordered because interfaces depend on each other in a loop.
 * - `invalid-rollout`: a fleet-level value (`maxUnavailable`, a node selector) is out of range.
 */
export type PlannerErrorKind = 'invalid-argument' | 'policy' | 'dependency-cycle' | 'invalid-rollout';

/** Where in an nmpolicy expression an error was found. */
export interface PolicyErrorLocation {
  /** The whole expression (one `capture` entry or one templated string). */
  readonly line: string;
  /** Zero-based character offset of the offending token in `line`. */
  readonly position: number;
}

/** The one error type the planner throws. */
export class PlannerError extends Error {
  override readonly name = 'PlannerError';
  readonly kind: PlannerErrorKind;
  readonly location: PolicyErrorLocation | undefined;

  constructor(kind: PlannerErrorKind, message: string, location?: PolicyErrorLocation) {
    super(location ? `${message}\n| ${location.line}\n| ${'.'.repeat(location.position)}^` : message);
    this.kind = kind;
    this.location = location;
  }
}

/** Whether `error` is a {@link PlannerError}, optionally of the given kind. */
export function isPlannerError(error: unknown, kind?: PlannerErrorKind): error is PlannerError {
  return error instanceof PlannerError && (kind === undefined || error.kind === kind);
}
