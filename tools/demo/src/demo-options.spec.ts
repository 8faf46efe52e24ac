import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_LATENCY_MS, DEFAULT_DEMO_NODES, DemoUsageError, parseDemoOptions } from './demo-options.js';

describe('demo options', () => {
  it('has defaults', () => {
    expect(parseDemoOptions([])).toEqual({ nodes: DEFAULT_DEMO_NODES, latencyMs: DEFAULT_DEMO_LATENCY_MS, timeoutSeconds: 600, exit: false, help: false });
  });

  it('reads every option', () => {
    expect(parseDemoOptions(['--nodes', '12', '--latency-ms', '0', '--qps', '5.5', '--burst', '3', '--timeout-seconds', '30', '--exit'])).toEqual({
      nodes: 12,
      latencyMs: 0,
      qps: 5.5,
      burst: 3,
      timeoutSeconds: 30,
      exit: true,
      help: false,
    });
  });

  it('refuses bad values naming what was expected', () => {
    expect(() => parseDemoOptions(['--nodes', '3'])).toThrow('--nodes "3" is invalid: expected an integer of at least 11');
    expect(() => parseDemoOptions(['--latency-ms', 'fast'])).toThrow(DemoUsageError);
    expect(() => parseDemoOptions(['--qps', '0'])).toThrow('expected a number of at least 0.1');
    expect(() => parseDemoOptions(['--colour'])).toThrow(DemoUsageError);
  });
});
