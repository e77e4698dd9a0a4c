import { parseServeConfig, serveHelp } from "../config.js";
import { availableInterfaces, startServe } from "../serve/app.js";

export async function run(argv: string[]): Promise<number> {
  const available = availableInterfaces();
  const config = parseServeConfig(argv, process.env, available);
  if (config === "help") {
    console.log(serveHelp(available));
    return 0;
  }
  // As the Python proxy does: dumps and folders writable by anyone, so that the host user can
  // remove what a container's user wrote into a mounted log folder. (The CA key keeps 0600.)
  process.umask(0);
  const proxy = await startServe(config).catch((error: Error) => {
    console.error(`st-proxy serve: ${error.message}`);
    return undefined;
  });
  if (!proxy) return 1;
  console.log(`st-proxy: ready; dumps in ${config.logFolder}/interfaces/`);

  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`st-proxy: ${signal}: finishing exchanges in flight`);
      proxy.shutdown().then(
        () => {
          console.log("st-proxy: stopped");
          resolve(proxy.recorder.writeFailures > 0 ? 1 : 0);
        },
        (error: Error) => {
          console.error(`st-proxy: shutdown failed: ${error.message}`);
          resolve(1);
        },
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
