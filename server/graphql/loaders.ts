import DataLoader from 'dataloader';

/**
 * A loader over a batch lookup: one request's `load(k)` calls become one `load(keys)`; keys
 * the lookup does not return get `missing`.
 */
export function batched<K, V>(
  load: (keys: readonly K[]) => Promise<Map<K, V>>,
  missing: V,
): DataLoader<K, V> {
  return new DataLoader<K, V>(async (keys) => {
    const found = await load(keys);
    return keys.map((key) => found.get(key) ?? missing);
  });
}
