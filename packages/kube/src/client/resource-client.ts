import { formatApiVersion, formatResourcePath, type ResourceDescriptor } from '../api/api-resources.js';
import type { KubeList, KubeObject } from '../api/object-meta.js';
import type { KubeClient, KubeVerb, RequestLabel } from './kube-client.js';
import { KubeError } from './kube-error.js';
import type { Clock } from '../time/clock.js';
import type { QueryParams, WatchHandlers } from './transport.js';

/** Content type of a server-side apply. */
export const APPLY_PATCH_CONTENT_TYPE = 'application/apply-patch+yaml';
/** Content type of a JSON merge patch. */
export const MERGE_PATCH_CONTENT_TYPE = 'application/merge-patch+json';

/** Options of a list. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the server returns a `continue` token when more remain. */
  limit?: number;
  continue?: string;
  /** `"0"` lets the server answer from its watch cache. */
  resourceVersion?: string;
}

/** One page of a list. */
export interface ListPage<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

/** Options of a server-side apply. */
export interface ApplyOptions {
  /** Who owns the applied fields. */
  fieldManager: string;
  /** Take ownership of fields another manager owns, instead of failing with a conflict. */
  force?: boolean;
}

/** Preconditions and propagation of a delete. */
export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

/** Query parameters of a watch. */
export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  /** The server ends the watch after this long; the informer then re-watches. */
  timeoutSeconds?: number;
  signal: AbortSignal;
}

/** Typed requests for one kind (in one namespace, for namespaced kinds). */
export class ResourceClient<T extends KubeObject> {
  constructor(
    private readonly client: KubeClient,
    /** The kind and version this client speaks. */
    readonly descriptor: ResourceDescriptor,
    /** The namespace, for namespaced kinds. */
    readonly namespace?: string,
  ) {
    if (descriptor.namespaced && namespace === undefined) {
      throw new KubeError('invalid-argument', `${descriptor.plural} are namespaced: expected a namespace`);
    }
  }

  /** The clock of the client this resource belongs to. */
  get clock(): Clock {
    return this.client.clock;
  }

  private path(name?: string, subresource?: string): string {
    const options: { namespace?: string; name?: string; subresource?: string } = {};
    if (this.namespace !== undefined) options.namespace = this.namespace;
    if (name !== undefined) options.name = name;
    if (subresource !== undefined) options.subresource = subresource;
    return formatResourcePath(this.descriptor, options);
  }

  private label(verb: KubeVerb, subresource?: string): RequestLabel {
    return subresource === undefined ? { verb, resource: this.descriptor.plural } : { verb, resource: this.descriptor.plural, subresource };
  }

  private withTypeMeta(object: T): T {
    return { ...object, apiVersion: formatApiVersion(this.descriptor), kind: this.descriptor.kind };
  }

  /** Reads one object; throws `not-found` when absent. */
  async get(name: string): Promise<T> {
    const response = await this.client.send(this.label('get'), { method: 'GET', path: this.path(name) });
    return response.body as T;
  }

  /** Reads one object, or `undefined` when absent. */
  async find(name: string): Promise<T | undefined> {
    try {
      return await this.get(name);
    } catch (error) {
      if (error instanceof KubeError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  /** Lists one page. */
  async list(options: ListOptions = {}): Promise<ListPage<T>> {
    const query: QueryParams = {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
    };
    const response = await this.client.send(this.label('list'), { method: 'GET', path: this.path(), query });
    const list = response.body as KubeList<T>;
    const page: ListPage<T> = { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' };
    if (list.metadata?.continue) page.continue = list.metadata.continue;
    return page;
  }

  /**
   * Lists every object, following `continue` tokens; the result carries the
   * resourceVersion of the first page, which is the snapshot all pages belong to.
   */
  async listAll(options: Omit<ListOptions, 'continue'> = {}): Promise<ListPage<T>> {
    const first = await this.list(options);
    const items = [...first.items];
    let token = first.continue;
    while (token !== undefined) {
      const page = await this.list({ ...options, continue: token, resourceVersion: undefined });
      items.push(...page.items);
      token = page.continue;
    }
    return { items, resourceVersion: first.resourceVersion };
  }

  /** Creates `object` (POST); throws `already-exists` when the name is taken. Status is ignored by the server. */
  async create(object: T): Promise<T> {
    const response = await this.client.send(this.label('create'), {
      method: 'POST',
      path: this.path(),
      body: this.withTypeMeta(object),
    });
    return response.body as T;
  }

  /** Replaces `object` (PUT); with `metadata.resourceVersion` set, throws `conflict` when it is stale. */
  async replace(object: T): Promise<T> {
    const name = requireName(object, this.descriptor);
    const response = await this.client.send(this.label('update'), {
      method: 'PUT',
      path: this.path(name),
      body: this.withTypeMeta(object),
    });
    return response.body as T;
  }

  /** Replaces the status subresource (PUT …/status). */
  async replaceStatus(object: T): Promise<T> {
    const name = requireName(object, this.descriptor);
    const response = await this.client.send(this.label('update', 'status'), {
      method: 'PUT',
      path: this.path(name, 'status'),
      body: this.withTypeMeta(object),
    });
    return response.body as T;
  }

  /** Applies `object` server-side (PATCH with apply-patch content): creates it when missing. */
  async apply(object: T, options: ApplyOptions): Promise<T> {
    return this.applyTo(requireName(object, this.descriptor), object, undefined, options);
  }

  /**
   * Applies `status` to the status subresource server-side. The applied status
   * is the whole of what `fieldManager` owns there: fields it applied before and
   * omits now are removed. Throws `not-found` when the object does not exist.
   */
  async applyStatus(name: string, status: unknown, options: ApplyOptions): Promise<T> {
    return this.applyTo(name, { metadata: { name }, status } as unknown as T, 'status', options);
  }

  private async applyTo(name: string, object: T, subresource: string | undefined, options: ApplyOptions): Promise<T> {
    const response = await this.client.send(this.label('apply', subresource), {
      method: 'PATCH',
      path: this.path(name, subresource),
      query: { fieldManager: options.fieldManager, force: options.force === true ? true : undefined },
      contentType: APPLY_PATCH_CONTENT_TYPE,
      body: this.withTypeMeta(object),
    });
    return response.body as T;
  }

  /** Merges `patch` into the object (JSON merge patch). */
  async mergePatch(name: string, patch: unknown): Promise<T> {
    const response = await this.client.send(this.label('patch'), {
      method: 'PATCH',
      path: this.path(name),
      contentType: MERGE_PATCH_CONTENT_TYPE,
      body: patch,
    });
    return response.body as T;
  }

  /** Deletes one object; throws `not-found` when absent. */
  async delete(name: string, options: DeleteOptions = {}): Promise<void> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (options.preconditions !== undefined) body.preconditions = options.preconditions;
    if (options.propagationPolicy !== undefined) body.propagationPolicy = options.propagationPolicy;
    await this.client.send(this.label('delete'), { method: 'DELETE', path: this.path(name), body });
  }

  /** Streams a watch of this kind; see `Informer` for the list-then-watch loop built on it. */
  watch(options: WatchOptions, handlers: WatchHandlers): Promise<void> {
    return this.client.watch(
      this.descriptor,
      {
        path: this.path(),
        query: {
          resourceVersion: options.resourceVersion,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          allowWatchBookmarks: options.allowWatchBookmarks,
          timeoutSeconds: options.timeoutSeconds,
        },
        signal: options.signal,
      },
      handlers,
    );
  }
}

function requireName(object: KubeObject, descriptor: ResourceDescriptor): string {
  const name = object.metadata?.name;
  if (name === undefined || name === '') {
    throw new KubeError('invalid-argument', `a ${descriptor.kind} needs metadata.name`);
  }
  return name;
}
