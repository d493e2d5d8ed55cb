import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import type { ZetaCatalogProto, ZetaTypeProto } from "../schemas/zetasql-catalog.js";
import { leanResponseDecoder } from "./lean-response.js";

const PACKAGE = "@fivetrandevelopers/zetasql";

/** The one-line hint for a user without the analyzer. */
export const ZETASQL_MISSING_HINT = `BigQuery SQL analysis skipped: install the optional package ${PACKAGE} (npm install ${PACKAGE}) to check queries offline`;

/** A column of an analyzed statement's output, as ZetaSQL typed it. */
export interface OutputColumn {
  readonly name: string;
  /** ZetaSQL's TypeProto (the gRPC client's plain object: enums as numbers). */
  readonly type: ZetaTypeProto;
}

/** What analyzing one statement gave: an error (one line, `[at line:column]` when ZetaSQL knows it), or its output. */
export type Analysis =
  | { readonly ok: true; readonly columns: readonly OutputColumn[]; readonly kind: string }
  | { readonly ok: false; readonly message: string; readonly line?: number; readonly column?: number };

interface Client {
  extractTableNamesFromStatement(request: unknown): Promise<unknown>;
  testConnection(): Promise<boolean>;
}

/** A gRPC method of the client, as @grpc/grpc-js describes it. */
interface Method {
  readonly path: string;
  requestSerialize(request: unknown): Buffer;
}

/** The generated gRPC client under the package's wrapper: its Analyze method takes our own decoder. */
interface GrpcClient {
  readonly constructor: { readonly service: { readonly Analyze: Method } };
  makeUnaryRequest(
    path: string,
    serialize: (request: unknown) => Buffer,
    deserialize: (bytes: Buffer) => unknown,
    request: unknown,
    callback: (error: unknown, response: unknown) => void,
  ): unknown;
}

interface ZetaModule {
  ZetaSQLClient: { init(port: number): void; getInstance(): Client; API: GrpcClient };
  LanguageOptions: new () => { enableMaximumLanguageFeatures(): Promise<{ serialize(): Record<string, unknown> }> };
}

/** A free loopback port (the OS picks it; the server binds it right after). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

interface Loaded {
  readonly module: ZetaModule;
  readonly binary: string;
  /** The package's protobufjs and the folders of the protos it reads. */
  readonly protobuf: unknown;
  readonly protoDirs: readonly string[];
}

function loadModule(): Loaded | undefined {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(PACKAGE);
  } catch {
    return undefined;
  }
  const suffix = (process.arch.startsWith("arm") ? "_arm" : "") + (process.platform === "darwin" ? "" : ".so");
  const binary = join(dirname(entry), "zetasql", `remote_server${suffix}`);
  if (!existsSync(binary)) return undefined;
  // resolved statements of nested queries (statistics, alerts) are deeper than protobufjs decodes by default
  const protobuf = createRequire(entry)("protobufjs") as { util: { recursionLimit: number }; Reader: { recursionLimit: number } };
  protobuf.util.recursionLimit = Math.max(protobuf.util.recursionLimit, 5000);
  protobuf.Reader.recursionLimit = Math.max(protobuf.Reader.recursionLimit, 5000);
  const protoDirs = [join(dirname(entry), "zetasql", "protos"), dirname(createRequire(entry).resolve("protobufjs/package.json"))];
  return { module: require(PACKAGE) as ZetaModule, binary, protobuf, protoDirs };
}

/**
 * The first `outputColumnList` (or a CREATE TABLE's `columnDefinitionList`) in a resolved statement.
 *
 * @example outputColumns(response.resolvedStatement) // [{ name: "client_id", type: { typeKind: 8, ... } }]
 */
export function outputColumns(node: unknown, depth = 0): readonly OutputColumn[] | undefined {
  if (typeof node !== "object" || node === null || depth > 6) return undefined;
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.outputColumnList) && n.outputColumnList.length > 0)
    return (n.outputColumnList as { name: string; column: { type: ZetaTypeProto } }[]).map((c) => ({ name: c.name, type: c.column.type }));
  if (Array.isArray(n.columnDefinitionList) && n.columnDefinitionList.length > 0)
    return (n.columnDefinitionList as { name: string; type: ZetaTypeProto }[]).map((c) => ({ name: c.name, type: c.type }));
  for (const value of Object.values(n)) {
    const found = outputColumns(value, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The ZetaSQL analyzer (BigQuery's SQL dialect) as a local gRPC server on a free loopback port:
 * started once per command, stopped with `stop()` (always: it is a child process).
 *
 * @example
 * const server = await ZetaSqlServer.start();
 * try { await server?.analyze("SELECT 1", catalog) } finally { server?.stop() }
 */
export class ZetaSqlServer {
  readonly #client: Client;
  readonly #api: GrpcClient;
  readonly #decode: (bytes: Uint8Array) => Record<string, unknown>;
  readonly #child: ChildProcess;
  /** BigQuery's language: every released feature, external product mode. */
  readonly languageOptions: Record<string, unknown>;

  private constructor(loaded: Loaded, client: Client, child: ChildProcess, languageOptions: Record<string, unknown>) {
    this.#client = client;
    this.#api = loaded.module.ZetaSQLClient.API;
    this.#decode = leanResponseDecoder(loaded.protobuf, loaded.protoDirs);
    this.#child = child;
    this.languageOptions = languageOptions;
  }

  /** Whether the optional package (and its server binary for this machine) is installed. */
  static available(): boolean {
    return loadModule() !== undefined;
  }

  /** Starts the server, or gives undefined when the optional package is not installed. */
  static async start(): Promise<ZetaSqlServer | undefined> {
    const loaded = loadModule();
    if (!loaded) return undefined;
    const port = await freePort();
    const child = spawn(loaded.binary, ["127.0.0.1", String(port)], { stdio: "ignore" });
    child.unref();
    // a command that exits without stop() (an uncaught error, process.exit) still ends the server
    const kill = () => child.kill("SIGKILL");
    process.once("exit", kill);
    child.once("exit", () => process.off("exit", kill));
    try {
      loaded.module.ZetaSQLClient.init(port);
      const client = loaded.module.ZetaSQLClient.getInstance();
      if (!(await client.testConnection())) throw new Error(`the ZetaSQL server did not answer on port ${port}`);
      const language = (await new loaded.module.LanguageOptions().enableMaximumLanguageFeatures()).serialize();
      return new ZetaSqlServer(loaded, client, child, { ...language, productMode: "PRODUCT_EXTERNAL" });
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
  }

  /** The table names a statement (or script) reads and writes, each as its name parts. */
  async tableNames(sql: string): Promise<readonly (readonly string[])[]> {
    const response = (await this.#client.extractTableNamesFromStatement({
      sqlStatement: sql,
      options: this.languageOptions,
      allowScript: true,
    })) as { tableName?: { tableNameSegment?: string[] }[] } | undefined;
    return (response?.tableName ?? []).map((t) => t.tableNameSegment ?? []);
  }

  /** Analyzes one statement against a catalog. */
  async analyze(sql: string, catalog: ZetaCatalogProto): Promise<Analysis> {
    try {
      const request = {
        sqlStatement: sql,
        simpleCatalog: catalog,
        options: { languageOptions: this.languageOptions, errorMessageMode: "ERROR_MESSAGE_ONE_LINE", pruneUnusedColumns: true },
      };
      const method = this.#api.constructor.service.Analyze;
      const response = await new Promise<{ resolvedStatement?: Record<string, unknown> }>((resolve, reject) =>
        this.#api.makeUnaryRequest(method.path, method.requestSerialize, this.#decode, request, (error, value) =>
          error ? reject(error as Error) : resolve(value as { resolvedStatement?: Record<string, unknown> }),
        ),
      );
      const statement = response?.resolvedStatement ?? {};
      const kind = Object.keys(statement).find((k) => statement[k] !== undefined && statement[k] !== null) ?? "";
      return { ok: true, columns: outputColumns(statement) ?? [], kind };
    } catch (error) {
      const details = (error as { details?: string }).details ?? String(error);
      const at = /\[at (\d+):(\d+)\]\s*$/.exec(details);
      const message = details.replace(/\s*\[at \d+:\d+\]\s*$/, "");
      return at ? { ok: false, message, line: Number(at[1]), column: Number(at[2]) } : { ok: false, message };
    }
  }

  /** Stops the server. */
  stop(): void {
    this.#child.kill("SIGKILL");
  }
}
