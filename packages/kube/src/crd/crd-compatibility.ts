import type { CrdVersion, CustomResourceDefinition, PrinterColumn } from './nmstate-crds.js';
import type { JsonSchemaProps } from './schema-builder.js';

/** The result of comparing our CRD with the upstream one. */
export interface CrdComparison {
  /** Ways in which an object valid upstream would be rejected, read differently or shown differently here. */
  incompatibilities: string[];
  /** What we accept or serve beyond upstream: new optional fields, looser validation, extra versions. */
  additions: string[];
}

/**
 * Compares `ours` with `upstream` structurally: group, scope, names, versions
 * (served, storage, deprecated), printer columns, status subresource, and the
 * schema, where every upstream field must be present with a compatible type
 * and nothing may be required or validated more strictly than upstream.
 * Descriptions are not compared.
 */
export function compareCrds(upstream: CustomResourceDefinition, ours: CustomResourceDefinition): CrdComparison {
  const result: CrdComparison = { incompatibilities: [], additions: [] };
  const crd = upstream.metadata.name;
  const expectEqual = (what: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      result.incompatibilities.push(`${crd}: ${what} is ${JSON.stringify(b)}, upstream ${JSON.stringify(a)}`);
    }
  };
  expectEqual('metadata.name', upstream.metadata.name, ours.metadata.name);
  expectEqual('group', upstream.spec.group, ours.spec.group);
  expectEqual('scope', upstream.spec.scope, ours.spec.scope);
  for (const key of ['kind', 'listKind', 'plural', 'singular'] as const) {
    expectEqual(`names.${key}`, upstream.spec.names[key], ours.spec.names[key]);
  }
  for (const shortName of upstream.spec.names.shortNames ?? []) {
    if (!(ours.spec.names.shortNames ?? []).includes(shortName)) {
      result.incompatibilities.push(`${crd}: short name ${shortName} is missing`);
    }
  }
  for (const upstreamVersion of upstream.spec.versions) {
    const version = ours.spec.versions.find((v) => v.name === upstreamVersion.name);
    if (version === undefined) {
      result.incompatibilities.push(`${crd}: version ${upstreamVersion.name} is missing`);
      continue;
    }
    compareVersion(`${crd} ${version.name}`, upstreamVersion, version, result);
  }
  for (const version of ours.spec.versions) {
    if (!upstream.spec.versions.some((v) => v.name === version.name)) {
      result.additions.push(`${crd}: version ${version.name}`);
    }
  }
  return result;
}

function compareVersion(where: string, upstream: CrdVersion, ours: CrdVersion, result: CrdComparison): void {
  const flags = (v: CrdVersion): string => `served=${v.served} storage=${v.storage} deprecated=${v.deprecated === true}`;
  if (flags(upstream) !== flags(ours)) {
    result.incompatibilities.push(`${where}: ${flags(ours)}, upstream ${flags(upstream)}`);
  }
  const columns = (list: PrinterColumn[] | undefined): string =>
    JSON.stringify((list ?? []).map((c) => [c.name, c.type, c.jsonPath]));
  if (columns(upstream.additionalPrinterColumns) !== columns(ours.additionalPrinterColumns)) {
    result.incompatibilities.push(
      `${where}: printer columns ${columns(ours.additionalPrinterColumns)}, upstream ${columns(upstream.additionalPrinterColumns)}`,
    );
  }
  if ((upstream.subresources?.status !== undefined) !== (ours.subresources?.status !== undefined)) {
    result.incompatibilities.push(`${where}: status subresource differs from upstream`);
  }
  compareSchema(`${where} `, upstream.schema.openAPIV3Schema, ours.schema.openAPIV3Schema, result);
}

function describeType(schema: JsonSchemaProps): string {
  if (schema['x-kubernetes-int-or-string'] === true) return 'int-or-string';
  const base = schema.type ?? (schema.anyOf ? `anyOf(${schema.anyOf.map((s) => s.type).join(',')})` : 'any');
  return schema.format === undefined ? base : `${base}(${schema.format})`;
}

function compareSchema(path: string, upstream: JsonSchemaProps, ours: JsonSchemaProps, result: CrdComparison): void {
  const at = path.trim() === '' ? '.' : path;
  if (describeType(upstream) !== describeType(ours)) {
    result.incompatibilities.push(`${at}: type ${describeType(ours)}, upstream ${describeType(upstream)}`);
    return;
  }
  const upstreamPreserves = upstream['x-kubernetes-preserve-unknown-fields'] === true;
  const oursPreserves = ours['x-kubernetes-preserve-unknown-fields'] === true;
  if (upstreamPreserves && !oursPreserves) result.incompatibilities.push(`${at}: prunes unknown fields, upstream keeps them`);
  if (!upstreamPreserves && oursPreserves) result.additions.push(`${at}: keeps unknown fields`);

  for (const [name, upstreamProperty] of Object.entries(upstream.properties ?? {})) {
    const property = ours.properties?.[name];
    if (property === undefined) {
      result.incompatibilities.push(`${path}.${name}: missing`);
      continue;
    }
    compareSchema(`${path}.${name}`, upstreamProperty, property, result);
  }
  for (const name of Object.keys(ours.properties ?? {})) {
    if (upstream.properties?.[name] === undefined) result.additions.push(`${path}.${name}`);
  }
  compareChild(`${path}{*}`, upstream.additionalProperties, ours.additionalProperties, result);
  compareChild(`${path}[*]`, upstream.items, ours.items, result);

  for (const name of ours.required ?? []) {
    if (!(upstream.required ?? []).includes(name)) result.incompatibilities.push(`${at}: requires ${name}, upstream does not`);
  }
  if (ours.maxProperties !== undefined && (upstream.maxProperties === undefined || ours.maxProperties < upstream.maxProperties)) {
    result.incompatibilities.push(`${at}: maxProperties ${ours.maxProperties}, upstream ${upstream.maxProperties ?? 'none'}`);
  } else if (upstream.maxProperties !== undefined && ours.maxProperties !== upstream.maxProperties) {
    result.additions.push(`${at}: no maxProperties ${upstream.maxProperties}`);
  }
  const rules = (schema: JsonSchemaProps): string[] => (schema['x-kubernetes-validations'] ?? []).map((v) => v.rule);
  for (const rule of rules(ours)) {
    if (!rules(upstream).includes(rule)) result.incompatibilities.push(`${at}: validation ${rule} is not upstream's`);
  }
  for (const rule of rules(upstream)) {
    if (!rules(ours).includes(rule)) result.additions.push(`${at}: no validation ${rule}`);
  }
}

function compareChild(
  path: string,
  upstream: JsonSchemaProps | undefined,
  ours: JsonSchemaProps | undefined,
  result: CrdComparison,
): void {
  if (upstream === undefined && ours === undefined) return;
  if (upstream === undefined) {
    result.additions.push(`${path}: typed here, free upstream`);
    return;
  }
  if (ours === undefined) {
    result.incompatibilities.push(`${path}: missing`);
    return;
  }
  compareSchema(path, upstream, ours, result);
}
