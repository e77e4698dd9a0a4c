// Bounded waiting: a test that waits for something that never happens fails with a message
// naming what it waited for, instead of hanging until the runner's timeout kills the file.

/** How long a test waits for something by default, unless told otherwise. */
export const DEFAULT_WAIT_MS = 15_000;

/**
 * Resolves when `check` holds, checking every `intervalMs`; rejects after `timeoutMs`. `what` may
 * be a function, to describe the state at the time of giving up. `check` may throw to fail early.
 */
export async function waitUntil(check: () => boolean, what: string | (() => string), timeoutMs = DEFAULT_WAIT_MS, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() >= deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${typeof what === "function" ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The promise's value, or a rejection naming `what` if it takes longer than `timeoutMs`. */
export function within<T>(promise: Promise<T>, what: string | (() => string), timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${timeoutMs} ms waiting for ${typeof what === "function" ? what() : what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
