/** A function run before each scrape to refresh gauges from their source of truth. */
export type CollectHook = () => void | Promise<void>;

/** The hooks of one set of metrics and the single run they share per scrape. */
export interface CollectHooks {
  /** Adds a hook; the returned function removes it again. */
  add(hook: CollectHook): () => void;
  /**
   * Runs every hook once for the current scrape. prom-client reads all
   * metrics of a registry in one synchronous loop, and every metric calls
   * this from its `collect`: the first call starts the run, the others join
   * it, so one scrape runs each hook once and every metric sees its result.
   */
  runOnce(): Promise<void> | undefined;
}

/**
 * Creates the hook list. A failing hook does not fail the scrape (the
 * previous values are served); `onError` hears about it.
 */
export function createCollectHooks(onError: (error: unknown) => void): CollectHooks {
  const hooks = new Set<CollectHook>();
  let running: Promise<void> | undefined;

  async function runAll(): Promise<void> {
    for (const hook of [...hooks]) {
      try {
        await hook();
      } catch (error) {
        onError(error);
      }
    }
  }

  return {
    add(hook) {
      hooks.add(hook);
      return () => {
        hooks.delete(hook);
      };
    },
    runOnce() {
      if (hooks.size === 0) return undefined;
      running ??= runAll().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
