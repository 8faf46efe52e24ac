import { describe, expect, it } from 'vitest';
import { ENACTMENT_STATES, POLICY_CONDITION_TYPES } from './label-values.js';
import {
  AGENT_METRIC_DEFINITIONS,
  ALL_METRIC_DEFINITIONS,
  APPLY_DURATION_BUCKETS_SECONDS,
  COORDINATOR_METRIC_DEFINITIONS,
  METRIC_NAMES,
  type MetricDefinition,
} from './metric-definitions.js';

const METRIC_NAME = /^[a-z_][a-z0-9_]*$/;
const LABEL_NAME = /^[a-z_][a-z0-9_]*$/;

const isOurs = (definition: MetricDefinition) => definition.name.startsWith('nmfleet_');

describe('metric definitions', () => {
  it.each(ALL_METRIC_DEFINITIONS.map((definition) => [definition.name, definition] as const))(
    '%s follows the naming rules',
    (_name, definition) => {
      expect(definition.name).toMatch(METRIC_NAME);
      expect(definition.help.length).toBeGreaterThan(10);
      if (isOurs(definition)) {
        expect(definition.name.endsWith('_total')).toBe(definition.type === 'counter');
        if (definition.type === 'histogram') expect(definition.name).toMatch(/_seconds$/);
      }
      const labelNames = definition.labels.map((label) => label.name);
      expect(new Set(labelNames).size).toBe(labelNames.length);
      for (const label of definition.labels) {
        expect(label.name).toMatch(LABEL_NAME);
        expect(label.name).not.toBe('le');
        if (Array.isArray(label.values)) {
          expect(label.values.length).toBeGreaterThan(0);
          expect(new Set(label.values).size).toBe(label.values.length);
        } else {
          // Only upstream's own gauges may carry an open (per-node) label.
          expect(isOurs(definition), `${definition.name} has open label ${label.name}`).toBe(false);
        }
      }
      if (definition.type === 'histogram') {
        const buckets = definition.buckets ?? [];
        expect(buckets.length).toBeGreaterThan(5);
        expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
      } else {
        expect(definition.buckets).toBeUndefined();
      }
    },
  );

  it('has unique names, and METRIC_NAMES lists each one by handle', () => {
    const names = ALL_METRIC_DEFINITIONS.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.values(METRIC_NAMES).sort()).toEqual([...names].sort());
    expect(METRIC_NAMES.kubeRequests).toBe('nmfleet_kube_requests_total');
    expect(METRIC_NAMES.agentJobs).toBe(AGENT_METRIC_DEFINITIONS.agentJobs.name);
  });

  it('keeps upstream kubernetes-nmstate gauges with their names, types and labels', () => {
    // From kubernetes-nmstate pkg/monitoring/metrics.go and controllers/metrics/*.go.
    const upstream = Object.values(COORDINATOR_METRIC_DEFINITIONS)
      .filter((definition) => !isOurs(definition))
      .map((definition) => ({
        name: definition.name,
        type: definition.type,
        labels: definition.labels.map((label) => label.name).sort(),
      }));
    expect(upstream).toEqual([
      { name: 'kubernetes_nmstate_policies_status', type: 'gauge', labels: ['status'] },
      { name: 'kubernetes_nmstate_enactments_status', type: 'gauge', labels: ['node', 'status'] },
      { name: 'kubernetes_nmstate_features_applied', type: 'gauge', labels: ['name'] },
      { name: 'kubernetes_nmstate_network_interfaces', type: 'gauge', labels: ['node', 'type'] },
      { name: 'kubernetes_nmstate_routes', type: 'gauge', labels: ['ip_stack', 'node', 'type'] },
    ]);
    expect(COORDINATOR_METRIC_DEFINITIONS.upstreamFeaturesApplied.help).toBe(
      'Number of nmstate features applied labeled by its name',
    );
    expect(COORDINATOR_METRIC_DEFINITIONS.upstreamNetworkInterfaces.help).toBe('Number of network interfaces labeled by its type');
  });

  it('uses upstream condition types as state values', () => {
    // api/shared: NodeNetworkConfigurationPolicyConditionTypes and NodeNetworkConfigurationEnactmentConditionTypes.
    expect(POLICY_CONDITION_TYPES).toEqual(['Available', 'Degraded', 'Progressing']);
    expect(ENACTMENT_STATES).toEqual(['Available', 'Failing', 'Progressing', 'Pending', 'Aborted']);
  });

  it('buckets apply durations from 10 ms to 10 min', () => {
    expect(APPLY_DURATION_BUCKETS_SECONDS[0]).toBe(0.01);
    expect(APPLY_DURATION_BUCKETS_SECONDS.at(-1)).toBe(600);
  });
});
