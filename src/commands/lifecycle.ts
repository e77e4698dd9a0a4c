/**
 * How every long-running command ends: on SIGTERM or SIGINT it says so, stops accepting and
 * lets what is in flight finish (`shutdown`), then resolves with the exit code `shutdown`
 * gives (1 if it failed). A second signal exits at once with 1. Written once for serve,
 * replay serve, lambda-proxy and view.
 */
export function untilSignalled(name: string, shutdown: () => Promise<number>, log: (line: string) => void = (line) => console.error(line)): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log(`${name}: ${signal} again: exiting now`);
        process.exit(1);
      }
      stopping = true;
      log(`${name}: ${signal}: finishing what is in flight (send it again to exit now)`);
      shutdown().then(
        (code) => finish(code),
        (error: Error) => {
          log(`${name}: shutdown failed: ${error.message}`);
          finish(1);
        },
      );
    };
    const finish = (code: number) => {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      resolve(code);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}
