/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the input order in the result.
 * Rejects with the first rejection (no further items are started after it; calls already running are awaited
 * by nobody and their results dropped). Callers that want per-item outcomes catch inside `fn`.
 * @param limit at least 1; fractional values are floored
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const width = Math.max(1, Math.floor(limit) || 1);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
