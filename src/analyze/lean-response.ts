import { accessSync } from "node:fs";
import { isAbsolute, join } from "node:path";

/** The parts of protobufjs this file uses (the analyzer's own copy, loaded beside it). */
interface Protobuf {
  Root: new () => ProtoRoot;
  Type: abstract new (...args: never[]) => ProtoType;
  Reader: { create(buffer: Uint8Array): ProtoReader };
  Writer: { create(): { uint32(value: number): { bytes(value: Uint8Array): { finish(): Uint8Array } } } };
}
interface ProtoRoot {
  resolvePath: (origin: string, target: string) => string;
  loadSync(file: string): ProtoRoot;
  resolveAll(): ProtoRoot;
  lookupType(name: string): ProtoType;
}
interface ProtoType {
  readonly name: string;
  readonly fieldsById: Readonly<Record<number, { readonly resolvedType: unknown; readonly map?: boolean } | undefined>>;
  decode(buffer: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}
interface ProtoReader {
  pos: number;
  readonly len: number;
  uint32(): number;
  bytes(): Uint8Array;
  skipType(wireType: number): unknown;
}

/** Scans and expressions: the bulk of a resolved statement (a statistics query's is megabytes), never read. */
const BULK = /^(Any)?Resolved\w*(Scan|Expr)Proto$/;

/** A message's bytes without its scan and expression fields, at any depth. */
function strip(protobuf: Protobuf, type: ProtoType, buffer: Uint8Array): Uint8Array {
  const reader = protobuf.Reader.create(buffer);
  const parts: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const field = type.fieldsById[tag >>> 3];
    const message = field && !field.map && field.resolvedType instanceof protobuf.Type && (tag & 7) === 2 ? (field.resolvedType as ProtoType) : undefined;
    if (!message) {
      reader.skipType(tag & 7);
      parts.push(buffer.subarray(start, reader.pos));
      continue;
    }
    const bytes = reader.bytes();
    if (!BULK.test(message.name)) parts.push(protobuf.Writer.create().uint32(tag).bytes(strip(protobuf, message, bytes)).finish());
  }
  return Buffer.concat(parts);
}

/**
 * A decoder of ZetaSQL's `AnalyzeResponse` that drops the resolved scans and expressions before
 * decoding: what is left (the statement's kind, output columns and column definitions) is what the
 * analysis reads, and decoding a statistics query's whole tree took longer than analyzing it.
 * The object has the gRPC client's shape (field defaults, oneof names, enums as numbers).
 *
 * @example const decode = leanResponseDecoder(protobuf, [protosDir, protobufjsDir]); decode(bytes).resolvedStatement
 */
export function leanResponseDecoder(protobuf: unknown, protoDirs: readonly string[]): (bytes: Uint8Array) => Record<string, unknown> {
  const pb = protobuf as Protobuf;
  const root = new pb.Root();
  root.resolvePath = (_origin, target) => {
    if (isAbsolute(target)) return target;
    for (const dir of protoDirs) {
      try {
        accessSync(join(dir, target));
        return join(dir, target);
      } catch {
        // the next folder
      }
    }
    return target;
  };
  const response = root.loadSync("local_service.proto").resolveAll().lookupType("zetasql.local_service.AnalyzeResponse");
  return (bytes) => response.toObject(response.decode(strip(pb, response, bytes)), { defaults: true, oneofs: true });
}
