/**
 * A git question asked by many runs at once (twenty issues labelled together each resolve HEAD
 * and look up the filter drivers): a call made while the same one is under way takes its answer
 * instead of starting git again. Nothing is kept once it is answered, so an answer is never
 * older than the moment the call under way started.
 */
const underWay = new Map<string, Promise<unknown>>();

export function sharedCall<T>(key: string, call: () => Promise<T>): Promise<T> {
  const going = underWay.get(key);
  if (going) return going as Promise<T>;
  const started = call().finally(() => underWay.delete(key));
  underWay.set(key, started);
  return started;
}
