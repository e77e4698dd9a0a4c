import v8 from "node:v8";

/** The V8 options that size the young generation: a user who sets one of them keeps their choice. */
const YOUNG_GENERATION_OPTION = /--(max[-_]semi[-_]space[-_]size|min[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|max[-_]young[-_]generation[-_]size)/;

/**
 * Keeps V8's young generation at its first size (two 1 MB semi-spaces) for the whole process,
 * recording threads included (V8 options are per process). Left alone, a proxy under load
 * grows it to 40–45 MB (64 MB on Node 26) and never gives it back: measured in one st-proxy
 * serving 2 KB, 60 KB then 2 MB payloads, new space was 40 MB of a 65 MB heap, and peak RSS at
 * 2 MB / c32 was 212 MB against 175 MB with it held. CPU per exchange did not move (A/B at
 * 2 KB, 60 KB and 2 MB, c32: within the runs' ±10% noise): what survives a scavenge here is
 * the exchanges in flight, the same whatever the size. `--max-semi-space-size` would say the
 * same but only on node's command line; the growth factor is read each time the space would
 * grow, so it takes effect when set at startup.
 * Returns whether it was set.
 */
export function keepYoungGenerationSmall(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): boolean {
  if (execArgv.some((a) => YOUNG_GENERATION_OPTION.test(a)) || YOUNG_GENERATION_OPTION.test(nodeOptions)) return false;
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  return true;
}
