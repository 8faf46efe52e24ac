/** A CEL validation rule on a schema node (`x-kubernetes-validations`). */
export interface ValidationRule {
  rule: string;
  message?: string;
}

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps that our CRDs use. */
export interface JsonSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchemaProps>;
  additionalProperties?: JsonSchemaProps;
  items?: JsonSchemaProps;
  required?: string[];
  anyOf?: JsonSchemaProps[];
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-validations'?: ValidationRule[];
}

declare const valueType: unique symbol;

/**
 * An OpenAPI schema that describes values of TypeScript type `T`. The phantom
 * member makes `Schema<T>` invariant in `T`, so `describeObject<Policy>()` only
 * compiles when every field of `Policy` gets a schema of exactly its type:
 * the TypeScript interfaces stay the single source of the CRDs.
 */
export interface Schema<T> {
  readonly props: JsonSchemaProps;
  readonly [valueType]?: (value: T) => T;
}

/** Documentation common to every schema node. */
export interface SchemaOptions {
  description?: string;
}

/** One schema per property of `T`, optional properties included. */
export type PropertySchemas<T> = { [K in keyof T]-?: Schema<Exclude<T[K], undefined>> };

function withDescription(props: JsonSchemaProps, options: SchemaOptions | undefined): JsonSchemaProps {
  return options?.description === undefined ? props : { ...props, description: options.description };
}

/** A string. `S` narrows the TypeScript type (e.g. a union of literals) without narrowing the schema. */
export function describeString<S extends string = string>(options?: SchemaOptions & { format?: string }): Schema<S> {
  const props: JsonSchemaProps = { type: 'string' };
  if (options?.format !== undefined) props.format = options.format;
  return { props: withDescription(props, options) };
}

/** An RFC 3339 timestamp string (metav1.Time). */
export function describeDateTime(options?: SchemaOptions): Schema<string> {
  return describeString({ ...options, format: 'date-time' });
}

/** An integer; `format: 'int64'` for Go's int64 fields. */
export function describeInteger(options?: SchemaOptions & { format?: 'int32' | 'int64' }): Schema<number> {
  const props: JsonSchemaProps = { type: 'integer' };
  if (options?.format !== undefined) props.format = options.format;
  return { props: withDescription(props, options) };
}

/** An intstr.IntOrString: a number or a string such as `"50%"`. */
export function describeIntOrString(options?: SchemaOptions): Schema<number | string> {
  return {
    props: withDescription({ anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true }, options),
  };
}

/** A string-keyed map whose values follow `values`. */
export function describeMap<V>(
  values: Schema<V>,
  options?: SchemaOptions & { maxProperties?: number; validations?: ValidationRule[] },
): Schema<Record<string, V>> {
  const props: JsonSchemaProps = { type: 'object', additionalProperties: values.props };
  if (options?.maxProperties !== undefined) props.maxProperties = options.maxProperties;
  if (options?.validations !== undefined) props['x-kubernetes-validations'] = options.validations;
  return { props: withDescription(props, options) };
}

/** An array whose items follow `items`. */
export function describeArray<V>(items: Schema<V>, options?: SchemaOptions): Schema<V[]> {
  return { props: withDescription({ type: 'array', items: items.props }, options) };
}

/**
 * An object that the API server stores as given (`x-kubernetes-preserve-unknown-fields`):
 * nmstate state documents, validated by the coordinator rather than by the schema.
 */
export function describeOpenObject<T extends object>(options?: SchemaOptions): Schema<T> {
  return { props: withDescription({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, options) };
}

/** An object the schema does not describe further (`metadata`, validated by the API server itself). */
export function describeOpaqueObject<T extends object>(options?: SchemaOptions): Schema<T> {
  return { props: withDescription({ type: 'object' }, options) };
}

/** An object with exactly the properties of `T`, each with its schema. */
export function describeObject<T extends object>(
  properties: PropertySchemas<T>,
  options?: SchemaOptions & { required?: (keyof T & string)[]; preserveUnknownFields?: boolean },
): Schema<T> {
  const props: JsonSchemaProps = { type: 'object', properties: {} };
  for (const [name, schema] of Object.entries(properties) as [string, Schema<unknown>][]) {
    (props.properties as Record<string, JsonSchemaProps>)[name] = schema.props;
  }
  if (options?.required !== undefined && options.required.length > 0) props.required = [...options.required].sort();
  if (options?.preserveUnknownFields === true) props['x-kubernetes-preserve-unknown-fields'] = true;
  return { props: withDescription(props, options) };
}
