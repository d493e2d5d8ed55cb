/**
 * Maps `items` with at most `size` calls in flight, keeping the input order.
 *
 * @example const sizes = await pool(files, 4, async (f) => (await stat(f)).size);
 */
export async function pool<T, R>(items: readonly T[], size: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}
