import type { Answer, Incoming } from "../proxy/types.js";
import type { BackendMockDefinition, TracerMockDefinition } from "./definitions.js";
import { backendMockAnswer, findBackendMock } from "./backend-effects.js";
import { EditableAnswer } from "./editable-answer.js";
import { createTracerMock, MockNotApplicable, type TracerMock } from "./tracer-effects.js";

export interface MockLists {
  tracer: TracerMockDefinition[];
  backend: BackendMockDefinition[];
}

/**
 * The mocks in force: the session-wide ("internal") lists read at start, and the runtime
 * lists the test runner replaces through the mock API.
 */
export class MockStore {
  private readonly internalTracer: TracerMock[];
  private runtimeTracer: TracerMock[] = [];
  private readonly internalBackend: BackendMockDefinition[];
  private runtimeBackend: BackendMockDefinition[] = [];

  constructor(
    internal: MockLists,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.internalTracer = internal.tracer.map(createTracerMock);
    this.internalBackend = internal.backend;
  }

  replaceTracerMocks(defs: TracerMockDefinition[]): void {
    this.runtimeTracer = defs.map(createTracerMock);
  }

  replaceBackendMocks(defs: BackendMockDefinition[]): void {
    this.runtimeBackend = defs;
  }

  /** Every tracer mock whose path is the request's edits the answer: internal ones first. */
  editTracerAnswer(incoming: Incoming, answer: Answer): Answer {
    const matching = [...this.internalTracer, ...this.runtimeTracer].filter((m) => m.path === incoming.target);
    if (matching.length === 0) return answer;
    const editable = new EditableAnswer(answer);
    for (const mock of matching) {
      try {
        mock.apply(editable, incoming);
        this.log(`${incoming.interface}: ${incoming.method} ${incoming.target}: applied tracer mock ${mock.definition.type}`);
      } catch (error) {
        if (!(error instanceof MockNotApplicable)) throw error;
        this.log(`${incoming.interface}: ${incoming.method} ${incoming.target}: tracer mock ${mock.definition.type} not applied: ${error.message}`);
      }
    }
    return editable.toAnswer();
  }

  /** The answer of the first backend mock whose path is the request's: runtime ones first. */
  backendAnswer(incoming: Incoming): Answer | undefined {
    const def = findBackendMock([this.runtimeBackend, this.internalBackend], incoming.target);
    if (!def) return undefined;
    this.log(`${incoming.interface}: ${incoming.method} ${incoming.target}: answered by backend mock (${def.status_code})`);
    return backendMockAnswer(def);
  }
}
