// The project's .proto files against the FileDescriptorSets the reference decodes with
// (../shared/corpus/descriptors, read in place): every message reachable from the types we
// decode must declare the same fields (number, JSON name, type, label, map and oneof shape),
// and no others, so that a wrong field number or type cannot pass. (OTLP is not in those
// descriptors: the corpus cases check it.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";
import descriptor from "protobufjs/ext/descriptor/index.js";
import { jsonNameOf } from "../../../src/decode/protobuf/layout.js";
import { loadSchemas } from "../../../src/decode/protobuf/schemas.js";
import { SHARED, SHARED_PRESENT } from "../../helpers/shared.js";

interface FieldProto {
  name: string;
  number: number;
  label: string;
  type: string;
  typeName?: string;
  jsonName?: string;
  oneofIndex?: number;
  proto3Optional?: boolean;
}
interface MessageProto {
  name: string;
  field?: FieldProto[];
  nestedType?: MessageProto[];
  enumType?: EnumProto[];
  oneofDecl?: { name: string }[];
  options?: { mapEntry?: boolean };
}
interface EnumProto {
  name: string;
  value: { name: string; number: number }[];
}

/** The types the reference builds its decoders from, by descriptor file. */
const DECODED: Record<string, string[]> = {
  "agent.descriptor": ["datadog.trace.AgentPayload", "datadog.agentpayload.MetricPayload", "datadog.agentpayload.SketchPayload"],
  "backend.descriptor": ["datadoghq.api.series.v2.Response"],
  "metrics_v3.descriptor": ["datadog.dogstatsdhttp.Payload"],
};

function readDescriptorSet(file: string): { messages: Map<string, MessageProto>; enums: Map<string, EnumProto> } {
  const set = descriptor.FileDescriptorSet.decode(readFileSync(join(SHARED, "corpus", "descriptors", file)));
  const obj = descriptor.FileDescriptorSet.toObject(set, { enums: String }) as { file: { package?: string; messageType?: MessageProto[]; enumType?: EnumProto[] }[] };
  const messages = new Map<string, MessageProto>();
  const enums = new Map<string, EnumProto>();
  const walk = (scope: string, list: MessageProto[] | undefined, enumList: EnumProto[] | undefined) => {
    for (const e of enumList ?? []) enums.set(`${scope}.${e.name}`, e);
    for (const m of list ?? []) {
      messages.set(`${scope}.${m.name}`, m);
      walk(`${scope}.${m.name}`, m.nestedType, m.enumType);
    }
  };
  for (const f of obj.file) walk(f.package ?? "", f.messageType, f.enumType);
  return { messages, enums };
}

/** The descriptor's type of one of our fields (or of a map's key or value type). */
function typeOf(type: string, resolved: protobuf.ReflectionObject | null): string {
  if (resolved instanceof protobuf.Type) return "TYPE_MESSAGE";
  if (resolved instanceof protobuf.Enum) return "TYPE_ENUM";
  return `TYPE_${type.toUpperCase()}`;
}

const fullName = (obj: protobuf.ReflectionObject | null) => (obj ? obj.fullName.replace(/^\./, "") : undefined);

if (!SHARED_PRESENT) {
  test("schemas vs descriptors: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  const root = loadSchemas();
  for (const [file, roots] of Object.entries(DECODED)) {
    const { messages, enums } = readDescriptorSet(file);
    const seen = new Set<string>();
    const seenEnums = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const ref = messages.get(name);
      assert.ok(ref, `${file} has no ${name}`);
      for (const f of ref.field ?? []) {
        const target = f.typeName?.replace(/^\./, "");
        if (!target) continue;
        if (f.type === "TYPE_ENUM") seenEnums.add(target);
        else {
          const entry = messages.get(target);
          // A map's entry type is checked through the map field; its value type is followed.
          if (entry?.options?.mapEntry) {
            const value = entry.field?.find((x) => x.number === 2);
            const valueType = value?.typeName?.replace(/^\./, "");
            if (valueType) (value?.type === "TYPE_ENUM" ? seenEnums.add(valueType) : queue.push(valueType));
          } else queue.push(target);
        }
      }

      test(`${file}: ${name} has the reference's fields`, () => {
        const mine = root.lookupType(name);
        const refNumbers = new Set((ref.field ?? []).map((f) => f.number));
        for (const f of ref.field ?? []) {
          const field = mine.fieldsById[f.number];
          assert.ok(field, `${name}: no field number ${f.number} (${f.name})`);
          field.resolve();
          assert.equal(jsonNameOf(f.name), f.jsonName, `${name}.${f.name}: protoc's JSON name`);
          assert.equal(jsonNameOf(field.name), f.jsonName, `${name}.${f.name}: JSON name`);
          const entry = f.typeName ? messages.get(f.typeName.replace(/^\./, "")) : undefined;
          if (entry?.options?.mapEntry) {
            assert.ok(field instanceof protobuf.MapField, `${name}.${f.name}: a map in the reference`);
            const [key, value] = [1, 2].map((n) => entry.field!.find((x) => x.number === n)!);
            assert.equal(`TYPE_${field.keyType.toUpperCase()}`, key.type, `${name}.${f.name}: map key type`);
            assert.equal(typeOf(field.type, field.resolvedType), value.type, `${name}.${f.name}: map value type`);
            if (value.typeName) assert.equal(fullName(field.resolvedType), value.typeName.replace(/^\./, ""), `${name}.${f.name}: map value type name`);
            continue;
          }
          assert.ok(!(field instanceof protobuf.MapField), `${name}.${f.name}: not a map in the reference`);
          assert.equal(field.repeated ? "LABEL_REPEATED" : "LABEL_OPTIONAL", f.label, `${name}.${f.name}: label`);
          assert.equal(typeOf(field.type, field.resolvedType), f.type, `${name}.${f.name}: type`);
          if (f.typeName) assert.equal(fullName(field.resolvedType), f.typeName.replace(/^\./, ""), `${name}.${f.name}: type name`);
          const refOneof: string | undefined = f.oneofIndex !== undefined ? ref.oneofDecl?.[f.oneofIndex]?.name : undefined;
          if (f.proto3Optional) assert.ok(field.options?.proto3_optional, `${name}.${f.name}: proto3 optional`);
          else assert.equal(field.partOf?.name, refOneof, `${name}.${f.name}: oneof`);
        }
        for (const field of mine.fieldsArray) assert.ok(refNumbers.has(field.id), `${name}: field ${field.name} = ${field.id} is not in the reference`);
      });
    }

    for (const name of seenEnums) {
      test(`${file}: enum ${name} has the reference's values`, () => {
        const ref = enums.get(name);
        assert.ok(ref, `${file} has no enum ${name}`);
        const mine = root.lookupEnum(name);
        assert.deepEqual({ ...mine.values }, Object.fromEntries(ref.value.map((v) => [v.name, v.number])));
      });
    }
  }
}
