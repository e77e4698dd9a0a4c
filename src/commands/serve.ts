import { parseServeConfig, serveHelp } from "../config.js";
import { availableInterfaces, startServe } from "../serve/app.js";
import { keepYoungGenerationSmall } from "../serve/young-generation.js";
import { untilSignalled } from "./lifecycle.js";

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
  keepYoungGenerationSmall();
  const proxy = await startServe(config).catch((error: Error) => {
    console.error(`st-proxy serve: ${error.message}`);
    return undefined;
  });
  if (!proxy) return 1;
  console.log(`st-proxy: ready; dumps in ${config.logFolder}/interfaces/`);

  return untilSignalled(
    "st-proxy",
    async () => {
      await proxy.shutdown();
      console.log("st-proxy: stopped");
      return proxy.recorder.writeFailures > 0 ? 1 : 0;
    },
    (line) => console.log(line),
  );
}
