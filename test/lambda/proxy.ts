/** Starts the lambda proxy in-process against a stand-in, for the tests. */
import { eventTypeNamed } from "../../src/lambda/event-types.js";
import { startLambdaProxy, type LambdaProxy } from "../../src/lambda/server.js";
import { startRieStandIn, type Handler, type RieStandIn } from "./rie-stand-in.js";

export interface Rig {
  proxy: LambdaProxy;
  rie: RieStandIn;
  /** Lines the proxy reported. */
  log: string[];
  close(): Promise<void>;
}

export async function startRig(eventType: string, handler?: Handler, timeoutMs = 10_000): Promise<Rig> {
  const rie = await startRieStandIn(handler);
  const log: string[] = [];
  const proxy = await startLambdaProxy({
    host: "127.0.0.1",
    port: 0,
    eventType: eventTypeNamed(eventType),
    rie: { host: "127.0.0.1", port: rie.port, functionName: "function", timeoutMs },
    log: (line) => log.push(line),
  });
  return {
    proxy,
    rie,
    log,
    async close() {
      await proxy.close();
      await rie.close();
    },
  };
}
