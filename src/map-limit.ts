/**
 * Bounded concurrency for filesystem and process work: enough calls in flight to keep the
 * thread pool or the cores busy, never so many that file handles or memory run out.
 */

/** Maps items with at most `limit` promises in flight, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
