import protobuf from "protobufjs";
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from "./wire.js";

export type ScalarKind =
  | "double" | "float" | "int32" | "int64" | "uint32" | "uint64" | "sint32" | "sint64"
  | "fixed32" | "fixed64" | "sfixed32" | "sfixed64" | "bool" | "string" | "bytes";
export type FieldKind = ScalarKind | "enum" | "message";

/** How one field is read off the wire and shown, precomputed once per schema. */
export interface FieldLayout {
  number: number;
  /** The lowerCamelCase name MessageToDict uses (protoc's json_name). */
  jsonName: string;
  kind: FieldKind;
  repeated: boolean;
  /** Kept even at its default value (message fields, oneof members, proto3 `optional`). */
  presence: boolean;
  /** JSON names of the other members of its oneof, which setting this field clears. */
  oneofSiblings: string[] | null;
  enumNames: Map<number, string> | null;
  message: MessageLayout | null;
  /** For map fields: the entry message (key = field 1, value = field 2). */
  mapEntry: MessageLayout | null;
}

export interface TagEntry {
  field: FieldLayout;
  /** The length-delimited tag of a packable repeated field: a packed run of values. */
  packed: boolean;
}

export interface MessageLayout {
  fullName: string;
  fields: FieldLayout[];
  /** Keyed by the tag value (field number × 8 + wire type). */
  byTag: Map<number, TagEntry>;
}

const SCALARS = new Set<string>([
  "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
  "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
]);

export function wireTypeOf(kind: FieldKind): number {
  switch (kind) {
    case "double": case "fixed64": case "sfixed64":
      return WIRE_FIXED64;
    case "float": case "fixed32": case "sfixed32":
      return WIRE_FIXED32;
    case "string": case "bytes": case "message":
      return WIRE_LENGTH;
    default:
      return WIRE_VARINT;
  }
}

/** protoc's ToJsonName: drop each "_" and upper-case the character after it. */
export function jsonNameOf(protoName: string): string {
  let out = "";
  let upper = false;
  for (const ch of protoName) {
    if (ch === "_") upper = true;
    else {
      out += upper ? ch.toUpperCase() : ch;
      upper = false;
    }
  }
  return out;
}

/** Compiles protobufjs types into layouts (cached, so recursive types are shared). */
export class LayoutCompiler {
  private readonly cache = new Map<protobuf.Type, MessageLayout>();

  layoutOf(type: protobuf.Type): MessageLayout {
    let layout = this.cache.get(type);
    if (layout) return layout;
    layout = { fullName: type.fullName.replace(/^\./, ""), fields: [], byTag: new Map() };
    this.cache.set(type, layout);
    for (const field of type.fieldsArray) addField(layout, this.fieldOf(field));
    return layout;
  }

  private fieldOf(field: protobuf.Field): FieldLayout {
    field.resolve();
    const jsonName = jsonNameOf(field.name);
    let layout: FieldLayout;
    if (field instanceof protobuf.MapField) {
      const entry: MessageLayout = { fullName: `${field.parent?.fullName ?? ""}.${field.name}Entry`, fields: [], byTag: new Map() };
      addField(entry, plainField(1, "key", field.keyType));
      addField(entry, this.valueOf(field, 2, "value"));
      layout = { ...plainField(field.id, jsonName, "message"), repeated: true, mapEntry: entry };
    } else {
      const value = this.valueOf(field, field.id, jsonName);
      layout = { ...value, repeated: field.repeated, presence: value.presence || field.partOf !== null };
    }
    // A real oneof clears its other members; proto3 `optional` is a oneof of one (presence only).
    const siblings = field.partOf ? field.partOf.fieldsArray.filter((f) => f !== field).map((f) => jsonNameOf(f.name)) : [];
    layout.oneofSiblings = siblings.length > 0 ? siblings : null;
    return layout;
  }

  /** The type part of a field (scalar, enum or message), under the given number and name. */
  private valueOf(field: protobuf.Field, number: number, jsonName: string): FieldLayout {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      return { ...plainField(number, jsonName, "message"), presence: true, message: this.layoutOf(resolved) };
    }
    if (resolved instanceof protobuf.Enum) {
      const names = new Map<number, string>();
      // The first name given to a number wins (aliases), as in the descriptor's values_by_number.
      for (const [name, value] of Object.entries(resolved.values)) if (!names.has(value)) names.set(value, name);
      return { ...plainField(number, jsonName, "enum"), enumNames: names };
    }
    return plainField(number, jsonName, field.type);
  }
}

function plainField(number: number, jsonName: string, type: string): FieldLayout {
  if (type !== "message" && type !== "enum" && !SCALARS.has(type)) throw new Error(`unsupported protobuf type ${type}`);
  return {
    number,
    jsonName,
    kind: type as FieldKind,
    repeated: false,
    presence: false,
    oneofSiblings: null,
    enumNames: null,
    message: null,
    mapEntry: null,
  };
}

function addField(layout: MessageLayout, field: FieldLayout): void {
  layout.fields.push(field);
  const wireType = field.mapEntry ? WIRE_LENGTH : wireTypeOf(field.kind);
  layout.byTag.set(field.number * 8 + wireType, { field, packed: false });
  // Repeated scalars are accepted packed or not, whatever the schema declares.
  if (field.repeated && !field.mapEntry && wireType !== WIRE_LENGTH) {
    layout.byTag.set(field.number * 8 + WIRE_LENGTH, { field, packed: true });
  }
}
