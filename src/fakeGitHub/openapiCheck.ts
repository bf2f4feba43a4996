/**
 * Checks requests meant for GitHub's REST API (api.github.com) against GitHub's
 * own OpenAPI description, as shipped in the dev dependency `@octokit/openapi`.
 *
 * The fake GitHub checks every request with it (loaded through
 * ./requestChecker.ts, only where the description is installed), and so do the
 * tests' nock interceptors (test/helpers/github.ts). The description (13 MB of
 * JSON) is read lazily on the first call and kept for the life of the process;
 * each operation's body validator is compiled on first use and cached.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { DESCRIPTION } from "./requestChecker.js";

/** A request as the checker sees it. */
export interface GitHubRequest {
  /** HTTP method, any case. */
  method: string;
  /** `/repos/o/r/issues?state=open`, or a full `https://api.github.com/...` URL. */
  path: string;
  /**
   * The request body: a parsed JSON value, or the raw body as a string / bytes
   * (as nock hands it over). `undefined` or `""` means "no body".
   */
  body?: unknown;
}

/** How strict `checkGitHubRequest` is beyond what GitHub itself enforces. */
export interface CheckOptions {
  /**
   * Body properties the description does not list, in objects that list their
   * properties and don't allow others. GitHub silently ignores most of them, so
   * they are usually typos (`bodi`) or fields of another endpoint.
   * `"reject"` (default) reports them; `"allow"` reports only what GitHub rejects.
   */
  unknownBodyProperties?: "reject" | "allow";
}

/** Timing and size of the loaded description, for reports and benchmarks. */
export interface GitHubOpenApiStats {
  /** Version of `@octokit/openapi`'s description (`info.version`). */
  version: string;
  /** Number of operations (method + path template) indexed. */
  operations: number;
  /** Milliseconds spent reading + parsing + indexing the description. */
  loadMs: number;
  /** Body validators compiled so far (one per operation, on first use). */
  compiledValidators: number;
}

/**
 * Request-body fields that GitHub documents (changelog / docs) but that a given
 * version of the OpenAPI description may not know yet. They are added to the
 * operation's body schema only when the description lacks them, so the checker
 * never rejects a documented request just because `@octokit/openapi` lags.
 * Keys are routes as returned by `routeOf`; remove an entry once every
 * supported description version has the field.
 */
const DOCUMENTED_BODY_FIELDS_MISSING_FROM_SPEC: Readonly<Record<string, Readonly<Record<string, Schema>>>> = {
  // Workflow dispatch can return the created run's id and URLs (documented on
  // docs.github.com). Present in @octokit/openapi 23.0.2's description; kept so
  // that an older description does not reject it.
  "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": {
    return_run_details: { type: "boolean" },
  },
};

/**
 * Path parameters that, when they are the last segment of a template, GitHub
 * routes even when their value contains unencoded `/` (Octokit encodes them as
 * `%2F`, other clients may not). Parameters flagged `x-multi-segment` in the
 * description are treated the same way. Used only when no template matches the
 * request's exact segment count.
 */
const MULTI_SEGMENT_PARAMS: ReadonlySet<string> = new Set([
  "path", // GET/PUT/DELETE /repos/{owner}/{repo}/contents/{path}
  "ref", // /repos/{owner}/{repo}/git/ref(s)/{ref}, /commits/{ref}, ...
  "basehead", // GET /repos/{owner}/{repo}/compare/{basehead}
  "branch", // GET /repos/{owner}/{repo}/branches/{branch}
]);

const GRAPHQL_ROUTE = "POST /graphql";

// ---------------------------------------------------------------------------
// Loading and indexing

type Schema = { [key: string]: unknown };

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: Schema;
  multiSegment: boolean;
}

type Segment = { kind: "literal"; text: string } | { kind: "param"; name: string };

interface Operation {
  method: string;
  template: string;
  /** `METHOD /template` */
  route: string;
  segments: Segment[];
  /** The last segment is a parameter that may absorb several `/`-separated segments. */
  greedyTail: boolean;
  pathParams: Map<string, Parameter>;
  queryParams: Map<string, Parameter>;
  requiredQuery: string[];
  body?: {
    required: boolean;
    /** The `application/json` schema, if the operation takes JSON (else: text/plain, octet-stream, …). */
    json?: Schema;
  };
  validate?: ValidateFunction;
}

interface Index {
  version: string;
  operations: Operation[];
  /** Operations by number of path segments. */
  bySegments: Map<number, Operation[]>;
  greedy: Operation[];
  /** `components.schemas`, for `$ref`s in bodies and parameters. */
  schemas: Record<string, Schema>;
  loadMs: number;
  compiled: number;
  ajv?: Ajv;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);
// Survives vi.resetModules() and non-isolated workers: one parse per process.
const CACHE_KEY = Symbol.for("parallel-coordinator.github-openapi");

let index: Index | undefined;

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function decodePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function resolveLocalRef(root: Schema, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
  let node: unknown = root;
  for (const token of ref.slice(2).split("/")) {
    if (!isObject(node)) throw new Error(`unresolvable $ref ${ref}`);
    node = node[decodePointerToken(token)];
  }
  return node;
}

function deref(root: Schema, value: unknown): unknown {
  let node = value;
  for (let hops = 0; isObject(node) && typeof node.$ref === "string"; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${node.$ref}`);
    node = resolveLocalRef(root, node.$ref);
  }
  return node;
}

function loadIndex(): Index {
  if (index) return index;
  const holder = globalThis as { [CACHE_KEY]?: Index };
  const cached = holder[CACHE_KEY];
  if (cached) return (index = cached);

  const started = performance.now();
  const file = createRequire(import.meta.url).resolve(DESCRIPTION);
  const spec: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isObject(spec) || !isObject(spec.paths) || !isObject(spec.components)) {
    throw new Error(`${file} is not an OpenAPI description`);
  }
  const components = spec.components;
  const schemas = isObject(components.schemas) ? (components.schemas as Record<string, Schema>) : {};

  const operations: Operation[] = [];
  for (const [template, rawItem] of Object.entries(spec.paths)) {
    if (!isObject(rawItem)) continue;
    const shared = Array.isArray(rawItem.parameters) ? rawItem.parameters : [];
    for (const [method, rawOp] of Object.entries(rawItem)) {
      if (!HTTP_METHODS.has(method) || !isObject(rawOp)) continue;
      operations.push(indexOperation(spec, method.toUpperCase(), template, rawOp, shared));
    }
  }

  const bySegments = new Map<number, Operation[]>();
  for (const op of operations) {
    const list = bySegments.get(op.segments.length) ?? [];
    list.push(op);
    bySegments.set(op.segments.length, list);
  }
  const info = isObject(spec.info) ? spec.info : {};
  index = {
    version: typeof info.version === "string" ? info.version : "unknown",
    operations,
    bySegments,
    greedy: operations.filter((op) => op.greedyTail),
    // Keep only what body validation needs; the rest (examples, responses) is freed.
    schemas,
    loadMs: performance.now() - started,
    compiled: 0,
  };
  holder[CACHE_KEY] = index;
  return index;
}

function indexOperation(spec: Schema, method: string, template: string, op: Schema, shared: unknown[]): Operation {
  const segments: Segment[] = template
    .slice(1)
    .split("/")
    .map((text) => {
      const param = /^\{([^}]+)\}$/.exec(text);
      return param?.[1] !== undefined ? { kind: "param", name: param[1] } : { kind: "literal", text };
    });

  const pathParams = new Map<string, Parameter>();
  const queryParams = new Map<string, Parameter>();
  const own = Array.isArray(op.parameters) ? op.parameters : [];
  for (const raw of [...shared, ...own]) {
    const p = deref(spec, raw);
    if (!isObject(p) || typeof p.name !== "string" || typeof p.in !== "string") continue;
    const param: Parameter = {
      name: p.name,
      in: p.in,
      required: p.required === true,
      schema: isObject(p.schema) ? p.schema : {},
      multiSegment: p["x-multi-segment"] === true || MULTI_SEGMENT_PARAMS.has(p.name),
    };
    if (p.in === "path") pathParams.set(p.name, param);
    if (p.in === "query") queryParams.set(p.name, param);
  }

  const last = segments.at(-1);
  const greedyTail = last?.kind === "param" && pathParams.get(last.name)?.multiSegment === true;

  let body: Operation["body"];
  const rb = deref(spec, op.requestBody);
  if (isObject(rb) && isObject(rb.content)) {
    const json = rb.content["application/json"];
    body = {
      required: rb.required === true,
      ...(isObject(json) && isObject(json.schema) ? { json: json.schema } : {}),
    };
  }

  return {
    method,
    template,
    route: `${method} ${template}`,
    segments,
    greedyTail,
    pathParams,
    queryParams,
    requiredQuery: [...queryParams.values()].filter((p) => p.required).map((p) => p.name),
    ...(body ? { body } : {}),
  };
}

/** Load the description now (it is otherwise loaded on first use) and report its stats. */
export function gitHubOpenApiStats(): GitHubOpenApiStats {
  const idx = loadIndex();
  return {
    version: idx.version,
    operations: idx.operations.length,
    loadMs: idx.loadMs,
    compiledValidators: idx.compiled,
  };
}

// ---------------------------------------------------------------------------
// Route matching

interface Match {
  op: Operation;
  /** Decoded path parameter values. */
  values: Map<string, string>;
  exact: boolean;
}

/** Split off origin and query string; returns `{ pathname, search }`. */
function splitPath(path: string): { pathname: string; search: string } {
  let rest = path;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (origin) rest = rest.slice(origin[0].length);
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  const pathname = q >= 0 ? rest.slice(0, q) : rest;
  return { pathname: pathname === "" ? "/" : pathname, search: q >= 0 ? rest.slice(q + 1) : "" };
}

function matchOperation(op: Operation, parts: string[]): Match | undefined {
  const exact = parts.length === op.segments.length;
  if (!exact && !(op.greedyTail && parts.length > op.segments.length)) return undefined;
  const values = new Map<string, string>();
  for (let i = 0; i < op.segments.length; i++) {
    const seg = op.segments[i];
    if (seg === undefined) return undefined;
    const isTail = i === op.segments.length - 1;
    const raw = !exact && isTail ? parts.slice(i).join("/") : parts[i];
    if (raw === undefined) return undefined;
    if (seg.kind === "literal") {
      if (raw !== seg.text) return undefined;
      continue;
    }
    if (raw === "") return undefined;
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // keep the raw text; parameter validation will judge it
    }
    values.set(seg.name, value);
  }
  return { op, values, exact };
}

/** Exact-length matches first, then literal segments before parameters, left to right. */
function compareSpecificity(a: Match, b: Match): number {
  if (a.exact !== b.exact) return a.exact ? -1 : 1;
  const n = Math.min(a.op.segments.length, b.op.segments.length);
  for (let i = 0; i < n; i++) {
    const la = a.op.segments[i]?.kind === "literal";
    const lb = b.op.segments[i]?.kind === "literal";
    if (la !== lb) return la ? -1 : 1;
  }
  return b.op.segments.length - a.op.segments.length;
}

function findMatches(idx: Index, pathname: string): Match[] {
  const parts = pathname.slice(1).split("/");
  const matches: Match[] = [];
  for (const op of idx.bySegments.get(parts.length) ?? []) {
    const m = matchOperation(op, parts);
    if (m) matches.push(m);
  }
  for (const op of idx.greedy) {
    if (parts.length <= op.segments.length) continue;
    const m = matchOperation(op, parts);
    if (m) matches.push(m);
  }
  return matches.sort(compareSpecificity);
}

interface Resolved {
  match?: Match;
  /** Path-parameter problems of `match` (when no candidate had valid path parameters). */
  pathProblems: string[];
  /** Documented methods for the path when none matches the request's method. */
  otherMethods: string[];
  template?: string;
}

function resolve(idx: Index, method: string, pathname: string): Resolved {
  const all = findMatches(idx, pathname);
  const withMethod = all.filter((m) => m.op.method === method);
  if (withMethod.length === 0) {
    const best = all[0];
    return {
      pathProblems: [],
      otherMethods: best ? all.filter((m) => m.op.template === best.op.template).map((m) => m.op.method) : [],
      ...(best ? { template: best.op.template } : {}),
    };
  }
  // Like a router with parameter constraints: the most specific template whose
  // parameters are valid wins; if none is valid, report the most specific one.
  let firstProblems: string[] | undefined;
  for (const m of withMethod) {
    const problems = checkPathParams(idx, m);
    if (problems.length === 0) return { match: m, pathProblems: [], otherMethods: [] };
    firstProblems ??= problems;
  }
  return { match: withMethod[0], pathProblems: firstProblems ?? [], otherMethods: [] };
}

/**
 * The documented route for a request, e.g.
 * `routeOf("POST", "/repos/o/r/issues/1/comments")` →
 * `"POST /repos/{owner}/{repo}/issues/{issue_number}/comments"`.
 * Returns `undefined` when no operation in the description has that method and
 * path shape. Query string and `https://api.github.com` origin are ignored.
 * (Parameter values are not required to be valid: use `checkGitHubRequest`.)
 */
export function routeOf(method: string, path: string): string | undefined {
  const m = method.toUpperCase();
  const { pathname } = splitPath(path);
  if (m === "POST" && pathname === "/graphql") return GRAPHQL_ROUTE;
  return resolve(loadIndex(), m, pathname).match?.op.route;
}

// ---------------------------------------------------------------------------
// Parameter checks (path and query values are strings)

function quote(values: unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** Why `raw` does not satisfy the (scalar-ish) parameter schema, or undefined if it does. */
function scalarProblem(idx: Index, raw: string, rawSchema: unknown, depth = 0): string | undefined {
  let schema = rawSchema;
  for (let i = 0; isObject(schema) && typeof schema.$ref === "string" && i < 20; i++) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    schema = name === undefined ? undefined : idx.schemas[decodePointerToken(name)];
  }
  if (!isObject(schema) || depth > 10) return undefined;

  for (const key of ["oneOf", "anyOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const problems = branches.map((b) => scalarProblem(idx, raw, b, depth + 1));
      if (problems.some((p) => p === undefined)) return undefined;
      return problems.join(" or ");
    }
  }
  switch (schema.type) {
    case "integer":
      if (!/^-?\d+$/.test(raw)) return "must be an integer";
      break;
    case "number":
      if (raw.trim() === "" || !Number.isFinite(Number(raw))) return "must be a number";
      break;
    case "boolean":
      if (raw !== "true" && raw !== "false") return "must be true or false";
      break;
    case "array": {
      for (const item of raw.split(",")) {
        const p = scalarProblem(idx, item, schema.items, depth + 1);
        if (p) return `item ${JSON.stringify(item)} ${p}`;
      }
      return undefined;
    }
  }
  if (Array.isArray(schema.enum)) {
    const allowed = schema.enum.filter((v) => v !== null);
    if (!allowed.some((v) => String(v) === raw)) return `must be one of ${quote(allowed)}`;
  }
  if (typeof schema.pattern === "string") {
    try {
      if (!new RegExp(schema.pattern).test(raw)) return `must match ${schema.pattern}`;
    } catch {
      // a pattern JavaScript cannot parse: don't judge
    }
  }
  return undefined;
}

function checkPathParams(idx: Index, m: Match): string[] {
  const problems: string[] = [];
  for (const [name, value] of m.values) {
    const param = m.op.pathParams.get(name);
    if (!param) continue;
    const p = scalarProblem(idx, value, param.schema);
    if (p) problems.push(`path parameter ${name}: ${JSON.stringify(value)} ${p}`);
  }
  return problems;
}

function checkQuery(idx: Index, op: Operation, search: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [key, value] of new URLSearchParams(search)) {
    const name = key.endsWith("[]") ? key.slice(0, -2) : key;
    seen.add(name);
    const param = op.queryParams.get(name);
    if (!param) {
      const known = [...op.queryParams.keys()];
      problems.push(
        `query parameter ${name}: not documented for this operation` +
          (known.length > 0 ? ` (documented: ${known.join(", ")})` : " (it takes none)"),
      );
      continue;
    }
    const p = scalarProblem(idx, value, param.schema);
    if (p) problems.push(`query parameter ${name}: ${JSON.stringify(value)} ${p}`);
  }
  for (const name of op.requiredQuery) {
    if (!seen.has(name)) problems.push(`query parameter ${name}: required`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Body checks

/** Keywords of OpenAPI 3.0 schema objects that are not JSON Schema (or are mere annotations). */
const DROPPED_KEYWORDS = new Set([
  "nullable",
  "example",
  "examples",
  "discriminator",
  "xml",
  "externalDocs",
  "deprecated",
  "readOnly",
  "writeOnly",
  "description",
  "title",
]);
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "definitions"]);
const SCHEMA_KEYWORDS = new Set(["items", "additionalProperties", "not", "propertyNames", "contains"]);
const SCHEMA_LIST_KEYWORDS = new Set(["oneOf", "anyOf", "allOf"]);

interface ConvertContext {
  ajv: Ajv;
  needed: Set<string>;
  queue: string[];
}

function encodeDefinitionRef(name: string): string {
  return `#/definitions/${encodeURIComponent(name.replace(/~/g, "~0").replace(/\//g, "~1"))}`;
}

/**
 * OpenAPI 3.0 schema object → draft-07 JSON Schema:
 * - `$ref: #/components/schemas/X` → `#/definitions/X` (collected lazily, cycles are fine);
 * - `nullable: true` → `type: [T, "null"]` (and `null` added to `enum`), or
 *   `anyOf: [{type: "null"}, …]` when there is no `type` (GitHub's `oneOf` + `nullable`);
 * - formats Ajv does not know (`repo.nwo`, …) are dropped instead of warned about;
 * - annotations and `x-…` extensions are dropped.
 */
function convertSchema(node: unknown, ctx: ConvertContext): unknown {
  if (Array.isArray(node)) return node.map((n) => convertSchema(n, ctx));
  if (!isObject(node)) return node;

  const out: Schema = {};
  let ref: Schema | undefined;
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith("x-")) continue;
    if (key === "$ref" && typeof value === "string") {
      const name = /^#\/components\/schemas\/(.+)$/.exec(value)?.[1];
      if (name === undefined) throw new Error(`unsupported $ref ${value}`);
      const decoded = decodePointerToken(name);
      if (!ctx.needed.has(decoded)) {
        ctx.needed.add(decoded);
        ctx.queue.push(decoded);
      }
      ref = { $ref: encodeDefinitionRef(decoded) };
    } else if (key === "format") {
      if (typeof value === "string" && value in ctx.ajv.formats) out.format = value;
    } else if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertSchema(v, ctx)]));
    } else if (SCHEMA_KEYWORDS.has(key) || SCHEMA_LIST_KEYWORDS.has(key)) {
      out[key] = convertSchema(value, ctx);
    } else {
      out[key] = value;
    }
  }

  // In OpenAPI 3.0 siblings of $ref are ignored; in draft-07 too, so keep them via allOf.
  let core: Schema = out;
  if (ref) core = Object.keys(out).length === 0 ? ref : { ...out, allOf: [ref, ...asArray(out.allOf)] };

  if (node.nullable !== true) return core;
  if (typeof core.type === "string") {
    const withNull: Schema = { ...core, type: [core.type, "null"] };
    if (Array.isArray(core.enum) && !core.enum.includes(null)) withNull.enum = [...core.enum, null];
    return withNull;
  }
  return { anyOf: [{ type: "null" }, core] };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function getAjv(idx: Index): Ajv {
  if (idx.ajv) return idx.ajv;
  const ajv = new Ajv({
    strict: false, // OpenAPI leftovers must not make compilation throw
    allErrors: true, // report every problem of a body, not just the first
    validateSchema: false, // the description is trusted; skip meta-validation for speed
  });
  addFormats.default(ajv);
  return (idx.ajv = ajv);
}

function bodyValidator(idx: Index, op: Operation, json: Schema): ValidateFunction {
  if (op.validate) return op.validate;
  const ajv = getAjv(idx);
  const ctx: ConvertContext = { ajv, needed: new Set(), queue: [] };
  const root = convertSchema(json, ctx);
  if (!isObject(root)) throw new Error(`${op.route}: request body schema is not an object`);

  const extra = DOCUMENTED_BODY_FIELDS_MISSING_FROM_SPEC[op.route];
  if (extra && isObject(root.properties)) {
    for (const [name, schema] of Object.entries(extra)) root.properties[name] ??= schema;
  }

  const definitions: Schema = {};
  for (let name = ctx.queue.shift(); name !== undefined; name = ctx.queue.shift()) {
    const target = idx.schemas[name];
    if (!target) throw new Error(`${op.route}: missing #/components/schemas/${name}`);
    definitions[name] = convertSchema(target, ctx);
  }
  op.validate = ajv.compile({ ...root, definitions });
  idx.compiled++;
  return op.validate;
}

/** `/labels/0/name` → `.labels[0].name` */
function fieldPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map(decodePointerToken)
    .map((t) => (/^\d+$/.test(t) ? `[${t}]` : /^[A-Za-z_$][\w$]*$/.test(t) ? `.${t}` : `[${JSON.stringify(t)}]`))
    .join("");
}

function describeAjvError(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties":
      return `must NOT have additional property '${String(params.additionalProperty)}'`;
    case "enum":
      return `must be one of ${quote(asArray(params.allowedValues))}`;
    case "type":
      return `must be ${Array.isArray(params.type) ? params.type.join(" or ") : String(params.type)}`;
    default:
      return e.message ?? e.keyword;
  }
}

/**
 * Ajv errors → one line per problem. The branch errors of a failed `oneOf` /
 * `anyOf` are folded into its line: `body.labels[0]: must match one of: must be
 * string | must be object`.
 */
function formatAjvErrors(errors: ErrorObject[]): string[] {
  const isCombinator = (e: ErrorObject) => e.keyword === "oneOf" || e.keyword === "anyOf";
  const children = new Map<ErrorObject, ErrorObject[]>();
  const folded = new Set<ErrorObject>();
  const outermostFirst = errors.filter(isCombinator).sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const c of outermostFirst) {
    if (folded.has(c)) continue;
    const kids = errors.filter((e) => e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`));
    for (const k of kids) folded.add(k);
    children.set(c, kids);
  }
  const lines: string[] = [];
  for (const e of errors) {
    if (folded.has(e)) continue;
    const where = `body${fieldPath(e.instancePath)}`;
    const kids = children.get(e) ?? [];
    if (kids.length === 0) {
      lines.push(`${where}: ${describeAjvError(e)}`);
      continue;
    }
    const branches = kids
      .filter((k) => !isCombinator(k))
      .map((k) => {
        const rel = fieldPath(k.instancePath.slice(e.instancePath.length));
        return `${rel === "" ? "" : `${rel.replace(/^\./, "")}: `}${describeAjvError(k)}`;
      });
    const how = e.keyword === "oneOf" ? "exactly one" : "at least one";
    lines.push(`${where}: must match ${how} of: ${[...new Set(branches)].join(" | ")}`);
  }
  return [...new Set(lines)];
}

/** A schema's alternatives at one level: `$ref`s resolved, `allOf`/`oneOf`/`anyOf` flattened. */
function alternatives(idx: Index, schema: unknown, out: Schema[] = [], seen = new Set<unknown>()): Schema[] {
  let node = schema;
  for (let i = 0; isObject(node) && typeof node.$ref === "string" && i < 20; i++) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(node.$ref)?.[1];
    node = name === undefined ? undefined : idx.schemas[decodePointerToken(name)];
  }
  if (!isObject(node) || seen.has(node)) return out;
  seen.add(node);
  out.push(node);
  for (const key of ["allOf", "oneOf", "anyOf"]) {
    for (const branch of asArray(node[key])) alternatives(idx, branch, out, seen);
  }
  return out;
}

/**
 * Properties of `value` that no alternative of `schema` declares, at every depth.
 * Levels that allow extra properties (`additionalProperties` true or a schema,
 * `patternProperties`) or declare none are open; levels with
 * `additionalProperties: false` are left to Ajv, which already reports them.
 */
function unknownProperties(
  idx: Index,
  value: unknown,
  schema: unknown,
  where: string,
  extra: Readonly<Record<string, Schema>> = {},
  depth = 0,
): string[] {
  if (depth > 32 || typeof value !== "object" || value === null) return [];
  const alts = alternatives(idx, schema);
  if (Array.isArray(value)) {
    const items = { anyOf: alts.map((a) => a.items).filter(isObject) };
    return value.flatMap((item, i) => unknownProperties(idx, item, items, `${where}[${i}]`, {}, depth + 1));
  }
  const declared = new Map<string, Schema[]>(Object.entries(extra).map(([k, v]) => [k, [v]]));
  let open = false;
  let closedByAjv = false;
  for (const alt of alts) {
    if (alt.additionalProperties === false) closedByAjv = true;
    else if (alt.additionalProperties !== undefined || alt.patternProperties !== undefined) open = true;
    if (!isObject(alt.properties)) continue;
    for (const [key, sub] of Object.entries(alt.properties)) {
      if (isObject(sub)) declared.set(key, [...(declared.get(key) ?? []), sub]);
    }
  }
  const problems: string[] = [];
  for (const [key, sub] of Object.entries(value as Record<string, unknown>)) {
    const schemas = declared.get(key);
    if (schemas) {
      problems.push(
        ...unknownProperties(idx, sub, { anyOf: schemas }, `${where}${fieldPath(`/${key}`)}`, {}, depth + 1),
      );
    } else if (!open && !closedByAjv && declared.size > 0) {
      problems.push(`${where}: unknown property '${key}' (not in the description; GitHub ignores it)`);
    }
  }
  return problems;
}

function toBodyValue(body: unknown): { present: boolean; value?: unknown; raw?: string; parseError?: string } {
  let text: string | undefined;
  if (body === undefined || body === null) return { present: false };
  if (typeof body === "string") text = body;
  else if (body instanceof Uint8Array) text = Buffer.from(body).toString("utf8");
  if (text === undefined) return { present: true, value: body };
  if (text.trim() === "") return { present: false };
  try {
    return { present: true, value: JSON.parse(text) as unknown, raw: text };
  } catch (err) {
    return { present: true, raw: text, parseError: (err as Error).message };
  }
}

function checkBody(idx: Index, op: Operation, rawBody: unknown, options: CheckOptions): string[] {
  const body = toBodyValue(rawBody);
  if (!op.body) {
    if (!body.present) return [];
    if (isObject(body.value) && Object.keys(body.value).length === 0) return [];
    const got = isObject(body.value) ? `properties ${Object.keys(body.value).join(", ")}` : "a body";
    return [`body: this operation takes no request body, got ${got}`];
  }
  const { json } = op.body;
  if (!json) return []; // text/plain, octet-stream, …: not checked
  if (body.parseError !== undefined) return [`body: not valid JSON (${body.parseError})`];
  if (!body.present && !op.body.required) return [];
  // A required body that is absent is judged as `{}`: fine when every field is optional.
  const value = body.present ? body.value : {};
  const validate = bodyValidator(idx, op, json);
  const problems = validate(value) ? [] : formatAjvErrors(validate.errors ?? []);
  if (options.unknownBodyProperties !== "allow") {
    const extra = DOCUMENTED_BODY_FIELDS_MISSING_FROM_SPEC[op.route];
    problems.push(...unknownProperties(idx, value, json, "body", extra));
  }
  return problems;
}

function checkGraphQL(rawBody: unknown): string[] {
  const body = toBodyValue(rawBody);
  if (body.parseError !== undefined) return [`body: not valid JSON (${body.parseError})`];
  if (!isObject(body.value)) return ["body: must be a JSON object with a `query` string"];
  const problems: string[] = [];
  const { query, variables, operationName, ...rest } = body.value;
  if (typeof query !== "string" || query.trim() === "") problems.push("body.query: must be a non-empty string");
  if (variables !== undefined && variables !== null && !isObject(variables)) {
    problems.push("body.variables: must be an object");
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    problems.push("body.operationName: must be string");
  }
  for (const key of Object.keys(rest)) problems.push(`body: must NOT have additional property '${key}'`);
  return problems;
}

// ---------------------------------------------------------------------------
// Entry point

/**
 * Checks one request against GitHub's REST description. Returns human-readable
 * problems (empty = GitHub would accept the request's shape), each prefixed with
 * the request line and the documented route, e.g.
 * `POST /repos/o/r/git/refs [/repos/{owner}/{repo}/git/refs]: body: must have required property 'sha'`
 * or `no such operation: PATCH /repos/o/r/foo`.
 *
 * Checked: method + path against the path templates, path parameters (type,
 * enum), query parameters (documented names, types, enums, required), and the
 * `application/json` body (required properties, types, enums, forbidden
 * additional properties, …) and, unless `options.unknownBodyProperties` is
 * `"allow"`, body properties the description does not know.
 * `POST /graphql` must carry `{ query: string }`.
 */
export function checkGitHubRequest(request: GitHubRequest, options: CheckOptions = {}): string[] {
  const method = request.method.toUpperCase();
  const { pathname, search } = splitPath(request.path);
  const line = `${method} ${pathname}`;

  if (pathname === "/graphql") {
    if (method !== "POST") return [`no such operation: ${line} (GraphQL takes POST)`];
    return checkGraphQL(request.body).map((p) => `${line}: ${p}`);
  }

  const idx = loadIndex();
  const resolved = resolve(idx, method, pathname);
  const { match } = resolved;
  if (!match) {
    const hint =
      resolved.otherMethods.length > 0
        ? ` (${resolved.template ?? pathname} is documented for ${resolved.otherMethods.join(", ")})`
        : "";
    return [`no such operation: ${line}${hint}`];
  }
  const problems = [
    ...resolved.pathProblems,
    ...checkQuery(idx, match.op, search),
    ...checkBody(idx, match.op, request.body, options),
  ];
  return problems.map((p) => `${line} [${match.op.template}]: ${p}`);
}
