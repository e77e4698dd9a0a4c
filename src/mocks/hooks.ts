import type { Decision, ExchangeHooks, Incoming } from "../proxy/types.js";
import type { MockStore } from "./store.js";

/**
 * The processor's hooks, made from the mocks in force:
 * - backend mocks answer where the listener decided the backend is mocked (a "local"
 *   decision: nothing leaves the machine), before its default answer;
 * - tracer mocks edit the answers on the tracer-facing interfaces (the processor asks only
 *   for those), whatever host the request went to (in the Lambda scenario it is not `agent`).
 */
export function mockHooks(store: MockStore): ExchangeHooks {
  return {
    answerLocally: (incoming: Incoming, decision: Decision) => (decision.kind === "local" ? store.backendAnswer(incoming) : undefined),
    editAnswer: (incoming, answer) => store.editTracerAnswer(incoming, answer),
  };
}
