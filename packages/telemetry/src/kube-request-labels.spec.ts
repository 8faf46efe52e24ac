import { describe, expect, it } from 'vitest';
import {
  classifyKubeCode,
  normaliseKubeResource,
  normaliseKubeVerb,
  normaliseStatusWriteResource,
} from './kube-request-labels.js';

describe('normaliseKubeVerb', () => {
  it.each([
    ['list', 'list'],
    ['WATCH', 'watch'],
    ['patch', 'patch'],
    ['POST', 'create'],
    ['put', 'update'],
    ['apply', 'apply'],
    ['deletecollection', 'other'],
    ['', 'other'],
  ])('%j → %s', (verb, expected) => {
    expect(normaliseKubeVerb(verb)).toBe(expected);
  });
});

describe('normaliseKubeResource', () => {
  it.each([
    ['nodenetworkconfigurationpolicies', 'nodenetworkconfigurationpolicies'],
    ['nodenetworkconfigurationenactments/status', 'nodenetworkconfigurationenactments'],
    ['NodeNetworkState', 'nodenetworkstates'],
    ['nnce', 'nodenetworkconfigurationenactments'],
    ['leases.coordination.k8s.io', 'leases'],
    ['Node', 'nodes'],
    ['configmaps', 'other'],
    ['other', 'other'],
    ['', 'other'],
  ])('%j → %s', (resource, expected) => {
    expect(normaliseKubeResource(resource)).toBe(expected);
  });
});

describe('classifyKubeCode', () => {
  it.each([
    [200, '2xx'],
    [201, '2xx'],
    [404, '404'],
    [409, '409'],
    [410, '410'],
    [422, '422'],
    [429, '429'],
    [400, '4xx'],
    [403, '4xx'],
    [500, '5xx'],
    [503, '5xx'],
    [undefined, 'error'],
    [0, 'error'],
    [304, 'other'],
    [700, 'other'],
  ])('%s → %s', (code, expected) => {
    expect(classifyKubeCode(code)).toBe(expected);
  });
});

describe('normaliseStatusWriteResource', () => {
  it.each([
    ['nodenetworkstates', 'nodenetworkstates'],
    ['nodenetworkconfigurationpolicies/status', 'nodenetworkconfigurationpolicies'],
    ['nodes', 'other'],
    ['leases', 'other'],
  ])('%j → %s', (resource, expected) => {
    expect(normaliseStatusWriteResource(resource)).toBe(expected);
  });
});
