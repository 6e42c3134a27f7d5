/**
 * A small read-through cache with a time-to-live, for catalog and feature rows
 * the Gateway reads on every request. Concurrent misses for one key share a
 * single load. Bounded: the oldest entries are dropped past `maxEntries`.
 */
export function ttlCache<V>(ttlMs: number, maxEntries: number, load: (key: string) => Promise<V>) {
  const entries = new Map<string, { value: Promise<V>; expiresAt: number }>();
  return async (key: string): Promise<V> => {
    const hit = entries.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    const value = load(key);
    entries.delete(key);
    entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    value.catch(() => entries.delete(key));
    return value;
  };
}
