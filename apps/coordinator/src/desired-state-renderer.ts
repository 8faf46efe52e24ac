import { validateState, type ValidationIssue } from '@nmfleet/model';
import { evaluatePolicy, type StateDoc } from '@nmfleet/planner';
import { listNmstateFeatures } from './nmstate-features.js';
import { hashStable } from './stable-json.js';

/** Issues quoted in a policy's status at most; the rest are counted. */
const MAX_ISSUES_IN_MESSAGE = 10;

/** A desired state ready to go into a job: its value, canonical JSON and hash. */
export interface RenderedState {
  state: unknown;
  json: string;
  hash: string;
  /** The nmstate features it uses (`nmstatectl statistic` names), for the enactment's status and the metrics. */
  features: string[];
  /** Captures resolved against the node's state, by name (policies with `capture`). */
  capturedStates?: Record<string, { state: unknown }>;
}

/**
 * How a policy generation's desired state becomes a node's: the same for every node
 * (no `capture`: rendered and validated once), or evaluated against each node's last
 * reported state.
 */
export type DesiredTemplate =
  | { kind: 'static'; rendered: RenderedState }
  | { kind: 'capture'; capture: Record<string, string>; desiredState: unknown };

/** The desired state could not be rendered for a node (a capture failed, or the result is invalid). */
export class RenderError extends Error {
  override readonly name = 'RenderError';
}

/** Formats the model's issues for a status message: `path: message` joined by `; `. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  const errors = issues.filter((issue) => issue.severity === 'error');
  const shown = errors.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
  const more = errors.length > MAX_ISSUES_IN_MESSAGE ? `; and ${errors.length - MAX_ISSUES_IN_MESSAGE} more` : '';
  return `${shown.join('; ')}${more}`;
}

/**
 * Validates a policy's desired state with the model and prepares its rendering.
 * Without `capture` the state must be valid as it is; with `capture` it may hold
 * `{{ capture.… }}` references, and each node's rendering is validated again.
 */
export function prepareTemplate(spec: {
  desiredState?: unknown;
  capture?: Record<string, string>;
}): { ok: true; template: DesiredTemplate } | { ok: false; message: string } {
  const capture = spec.capture ?? {};
  const hasCapture = Object.keys(capture).length > 0;
  const desiredState = spec.desiredState ?? {};
  const result = validateState(desiredState, { templates: hasCapture });
  if (!result.ok) return { ok: false, message: `invalid desiredState: ${formatIssues(result.issues)}` };
  if (hasCapture) return { ok: true, template: { kind: 'capture', capture, desiredState } };
  // The model's normalized form (lenient strings become numbers) is what agents apply.
  return {
    ok: true,
    template: { kind: 'static', rendered: { state: result.state, ...hashStable(result.state), features: listNmstateFeatures(result.state) } },
  };
}

/**
 * Renders the desired state of one node. For capture templates, `nodeState` is the
 * node's last reported state; a capture that fails or a result the model rejects
 * throws a {@link RenderError} with upstream-like wording.
 */
export function renderForNode(template: DesiredTemplate, nodeState: unknown): RenderedState {
  if (template.kind === 'static') return template.rendered;
  let evaluated: ReturnType<typeof evaluatePolicy>;
  try {
    evaluated = evaluatePolicy({ capture: template.capture, desiredState: template.desiredState }, (nodeState ?? {}) as StateDoc);
  } catch (error) {
    throw new RenderError(error instanceof Error ? error.message : String(error));
  }
  const validated = validateState(evaluated.state);
  if (!validated.ok) throw new RenderError(`the rendered desired state is invalid: ${formatIssues(validated.issues)}`);
  const capturedStates: Record<string, { state: unknown }> = {};
  for (const [name, state] of evaluated.captures) capturedStates[name] = { state };
  return { state: validated.state, ...hashStable(validated.state), features: listNmstateFeatures(validated.state), capturedStates };
}

const captureFeatures = new WeakMap<DesiredTemplate, string[]>();

/**
 * The features a template's nodes apply: the rendered state's, or for capture
 * templates those of the state as written (captures fill in values, not sections).
 */
export function listTemplateFeatures(template: DesiredTemplate): readonly string[] {
  if (template.kind === 'static') return template.rendered.features;
  let features = captureFeatures.get(template);
  if (features === undefined) {
    features = listNmstateFeatures(template.desiredState);
    captureFeatures.set(template, features);
  }
  return features;
}
