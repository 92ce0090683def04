// What a test file's before hook makes (a server, a sandbox) is read by its tests once made.

/** `value` once the before hook making it has run; before that, an error naming `what`. */
export function madeBefore<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is made in a before hook: read it inside the tests`);
  return value;
}
