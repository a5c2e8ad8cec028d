import { isCancellation } from '../errors';
import type { AccessQuery, KubeClient } from './kubeClient';
import type { ResourceKind } from './resourceKinds';
import { restartableKinds, scalableKinds } from './resourceKinds';

/** What the user may do to the objects of one resource folder (true when unknown: the server still decides). */
export interface Permissions {
  readonly delete: boolean;
  /** A patch of the object (rollout restart). */
  readonly patch: boolean;
  /** A patch of the `scale` subresource. */
  readonly scale: boolean;
}

export const allowAll: Permissions = { delete: true, patch: true, scale: true };

/**
 * SelfSubjectAccessReview answers cached per context + verb + group/resource/subresource + namespace for `ttlMs`
 * (default 5 minutes); `clear()` forgets them (on refresh). A failed review is not cached and counts as
 * allowed: hiding an action the user may have would be worse than a 403 explained by the server.
 */
export class AccessReviewCache {
  private readonly answers = new Map<string, { readonly at: number; readonly allowed: Promise<boolean> }>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async canI(client: KubeClient, contextName: string, query: AccessQuery, signal: AbortSignal): Promise<boolean> {
    const key = [contextName, query.verb, query.group, query.resource, query.subresource ?? '', query.namespace ?? ''].join('|');
    const hit = this.answers.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.allowed;
    const allowed = client.canI(query, { signal });
    this.answers.set(key, { at: this.now(), allowed });
    try {
      return await allowed;
    } catch (e) {
      this.answers.delete(key);
      if (isCancellation(e)) throw e;
      return true;
    }
  }

  /** The permissions that matter for a folder's items: delete always, patch and scale where the kind has them. */
  async permissionsFor(
    client: KubeClient,
    contextName: string,
    resource: ResourceKind,
    namespace: string | undefined,
    signal: AbortSignal,
  ): Promise<Permissions> {
    const ask = (verb: string, subresource?: string) =>
      this.canI(
        client,
        contextName,
        {
          verb,
          group: resource.group,
          resource: resource.plural,
          ...(subresource ? { subresource } : {}),
          ...(namespace ? { namespace } : {}),
        },
        signal,
      );
    const [del, patch, scale] = await Promise.all([
      ask('delete'),
      restartableKinds.has(resource.kind) ? ask('patch') : Promise.resolve(false),
      scalableKinds.has(resource.kind) ? ask('patch', 'scale') : Promise.resolve(false),
    ]);
    return { delete: del, patch, scale };
  }

  clear(): void {
    this.answers.clear();
  }
}
