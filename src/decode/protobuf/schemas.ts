import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

/** schemas/proto/ at the project root (the same path from src/ under tsx and from dist/). */
export const PROTO_DIR = fileURLToPath(new URL("../../../schemas/proto/", import.meta.url));

/** Every .proto file the decoders use, relative to PROTO_DIR (imports resolve from there too). */
export const PROTO_FILES = [
  "datadog/trace/agent_payload.proto",
  "datadog/agentpayload/agent_payload.proto",
  "datadog/dogstatsdhttp/payload.proto",
  "datadoghq/api/series/v2/response.proto",
  "opentelemetry/proto/collector/trace/v1/trace_service.proto",
  "opentelemetry/proto/collector/metrics/v1/metrics_service.proto",
  "opentelemetry/proto/collector/logs/v1/logs_service.proto",
];

/**
 * Parses the project's .proto files into one protobufjs Root. Field names are kept as written
 * (keepCase): the JSON names are derived from them the way protoc does (see layout.ts).
 */
export function loadSchemas(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => PROTO_DIR + target;
  root.loadSync(PROTO_FILES, { keepCase: true });
  root.resolveAll();
  return root;
}
