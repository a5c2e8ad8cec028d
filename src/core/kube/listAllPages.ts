import { CancelledError, ClusterDeckError } from '../errors';
import type { KubeClient, Page } from './kubeClient';
import type { ResourceKind } from './resourceKinds';

/** A whole paginated list may take this long (reliability A1): pages of `limit` each have their own request deadline. */
export const listBudgetMs = 120_000;

/** Page size of whole-list reads (reliability A5, B48: `limit=500` + `continue`). */
export const listPageLimit = 500;

/** What `listAllPages` passes to each page request. */
export interface PageRequest {
  /** Aborted on the caller's cancel or when the list budget is spent. */
  readonly signal: AbortSignal;
  readonly limit: number;
  readonly continueToken?: string;
}

export interface ListAllOptions {
  readonly signal: AbortSignal;
  /** Named in messages, e.g. `pods in namespace "shop"`. */
  readonly what: string;
  /** Items per page; default 500. */
  readonly limit?: number;
  /** Budget of the whole list in ms; default 120 s. */
  readonly budgetMs?: number;
  /** Stop after this many items (a bounded read); default: the whole list. */
  readonly maxItems?: number;
  /** Told when an expired continue token restarts the list (one log line). */
  readonly onRestart?: (line: string) => void;
}

export interface AllPages<T> {
  readonly items: T[];
  /** resourceVersion of the first page of the list that completed (where a watch can start). */
  readonly resourceVersion?: string;
  readonly pages: number;
  /** 1 when an expired continue token made the list start again, else 0. */
  readonly restarts: number;
  /** True when `maxItems` cut the list short. */
  readonly truncated: boolean;
}

/** A 410 Gone / Expired answer: to a request with a continue token, the token is too old (catalogue B49). */
export function isExpired(e: unknown): boolean {
  return e instanceof ClusterDeckError && e.detail.status === 410;
}

/**
 * One page after `continueToken`; when the server expired that token (410), the list starts again from its first page,
 * reading `restartLimit` items (as many as were shown plus a page), and `onRestart` is told: the caller then replaces
 * what it showed instead of appending (the tree's "Load more").
 */
export async function pageOrRestart<T>(
  fetchPage: (continueToken: string | undefined, limit: number) => Promise<Page<T>>,
  continueToken: string | undefined,
  limit: number,
  restartLimit: number,
  onRestart: () => void,
): Promise<Page<T>> {
  try {
    return await fetchPage(continueToken, limit);
  } catch (e) {
    if (!continueToken || !isExpired(e)) throw e;
    onRestart();
    return fetchPage(undefined, restartLimit);
  }
}

/**
 * Reads every page of a list (`limit` + `continue`). A continue token the server no longer knows (410 Gone /
 * Expired, catalogue B49) restarts the list from its first page once, so no item is counted twice and none of a
 * consistent snapshot is missing; a second expiry is a `serverError` saying so. The whole list has one budget
 * (120 s, reliability A1): when it is spent, the page in flight is aborted and a `timeout` error names how far the
 * list got. Cancellation by the caller throws `CancelledError`; other errors pass through unchanged.
 */
export async function listAllPages<T>(
  fetchPage: (request: PageRequest) => Promise<Page<T>>,
  options: ListAllOptions,
): Promise<AllPages<T>> {
  const limit = options.limit ?? listPageLimit;
  const budgetMs = options.budgetMs ?? listBudgetMs;
  const budget = AbortSignal.timeout(budgetMs);
  const signal = AbortSignal.any([options.signal, budget]);
  let restarts = 0;
  let pages = 0;
  for (;;) {
    const items: T[] = [];
    let resourceVersion: string | undefined;
    let continueToken: string | undefined;
    try {
      do {
        const page = await fetchPage({ signal, limit, ...(continueToken ? { continueToken } : {}) });
        pages++;
        if (!continueToken) resourceVersion = page.resourceVersion;
        items.push(...page.items);
        continueToken = page.continueToken;
        if (options.maxItems !== undefined && items.length >= options.maxItems)
          return {
            items: items.slice(0, options.maxItems),
            ...(resourceVersion ? { resourceVersion } : {}),
            pages,
            restarts,
            truncated: continueToken !== undefined || items.length > options.maxItems,
          };
      } while (continueToken);
      return { items, ...(resourceVersion ? { resourceVersion } : {}), pages, restarts, truncated: false };
    } catch (e) {
      if (options.signal.aborted) throw e instanceof CancelledError ? e : new CancelledError();
      if (budget.aborted)
        throw new ClusterDeckError(
          'timeout',
          `Listing ${options.what} did not finish within ${budgetMs < 1000 ? `${budgetMs} ms` : `${Math.round(budgetMs / 1000)} s`} (${items.length} items in ${pages} pages read); try again, or narrow it to a namespace or a selector.`,
          {},
          { cause: e },
        );
      if (!continueToken || !isExpired(e)) {
        // A failure after the first page names how far the list got; the cause keeps the request's own reason.
        if (pages > 0 && e instanceof ClusterDeckError)
          throw new ClusterDeckError(e.reason, `Listing ${options.what} stopped after ${items.length} items: ${e.message}`, e.detail, {
            cause: e,
          });
        throw e;
      }
      if (restarts > 0)
        throw new ClusterDeckError(
          'serverError',
          `Listing ${options.what} failed: the server expired the list's continue token twice (410 Gone), so the list changes faster than it can be read in pages; try again, or narrow it to a namespace or a selector.`,
          { status: 410 },
          { cause: e },
        );
      restarts++;
      options.onRestart?.(`list ${options.what}: continue token expired (410) after ${items.length} items; starting the list again`);
    }
  }
}

/** `plural in namespace "ns"` / `plural in all namespaces`, for messages. */
export function describeList(kind: ResourceKind, namespace: string | undefined): string {
  return `${kind.plural}${namespace ? ` in namespace "${namespace}"` : kind.namespaced ? ' in all namespaces' : ''}`;
}

/** Every object of a kind (full objects, `listObjects`), through `listAllPages`: restart once on 410, one budget. */
export function listAllObjects(
  client: KubeClient,
  kind: ResourceKind,
  namespace: string | undefined,
  options: Omit<ListAllOptions, 'what'> & { readonly labelSelector?: string; readonly fieldSelector?: string },
): Promise<AllPages<Record<string, unknown>>> {
  const { labelSelector, fieldSelector, ...rest } = options;
  return listAllPages(
    (request) =>
      client.listObjects(kind, namespace, {
        ...request,
        ...(labelSelector ? { labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
      }),
    { ...rest, what: describeList(kind, namespace) },
  );
}
