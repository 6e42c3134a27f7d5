/**
 * Fills in each limit named by `defaults` (in that order) from `options`
 * and checks it is a positive safe integer: an out-of-range value fails with
 * a RangeError naming the option, never silently clamped.
 */
export function resolveLimits<K extends string>(
  providerId: string,
  options: NoInfer<Readonly<Partial<Record<K, number | undefined>>>>,
  defaults: Readonly<Record<K, number>>,
): Record<K, number> {
  const limits = {} as Record<K, number>;
  for (const name of Object.keys(defaults) as K[]) {
    limits[name] = options[name] ?? defaults[name];
  }
  for (const [name, value] of Object.entries<number>(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`provider "${providerId}": ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return limits;
}
