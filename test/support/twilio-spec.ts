/**
 * Validators built from Twilio's published OpenAPI specs (API 2010-04-01 and Messaging v1), so tests can check that
 * what the stand-in answers and what the client sends have Twilio's shapes. The specs are vendored, cut down to the
 * operations the channel uses (test/support/vendor-twilio-specs.ts).
 * Each spec is read only when a test first needs it.
 */
import { readFileSync } from "node:fs";
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from "ajv";

/** api: api.twilio.com/2010-04-01; messaging: messaging.twilio.com/v1. */
export type TwilioSpecName = "api" | "messaging";

const SPEC_FILES: Record<TwilioSpecName, { url: URL; documentId: string }> = {
  api: {
    url: new URL("../fixtures/twilio-oai/twilio_api_v2010.json", import.meta.url),
    documentId: "twilio-api-v2010",
  },
  messaging: {
    url: new URL("../fixtures/twilio-oai/twilio_messaging_v1.json", import.meta.url),
    documentId: "twilio-messaging-v1",
  },
};
const CREATE_MESSAGE_SCHEMA = "CreateMessageRequest";

type Schema = AnySchemaObject;

interface Spec {
  paths: Record<string, Record<string, Operation | unknown>>;
  components: { schemas: Record<string, Schema> };
}

interface Operation {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface ResponseValidationOptions {
  /** Which spec the schema name belongs to; default "api" (2010-04-01). */
  spec?: TwilioSpecName;
  /**
   * Also require every property the schema declares and reject undeclared ones. Twilio's schemas mark nothing
   * as required, so without this a body missing half its fields would pass.
   */
  complete?: boolean;
}

/** published: the spec as is; complete: every property required; request: request forms, closed to unknowns. */
type Mode = "published" | "complete" | "request";
const ajvByKey = new Map<string, Ajv>();
const validators = new Map<string, ValidateFunction>();
const cachedSpecs = new Map<TwilioSpecName, Spec>();

/** A parsed spec, read once (the 2010-04-01 one is large). */
function loadSpec(name: TwilioSpecName): Spec {
  let spec = cachedSpecs.get(name);
  if (!spec) {
    spec = JSON.parse(readFileSync(SPEC_FILES[name].url, "utf8")) as Spec;
    cachedSpecs.set(name, spec);
  }
  return spec;
}

/** The API 2010-04-01 spec (api.twilio.com). */
export function twilioSpec(): Spec {
  return loadSpec("api");
}

/** The Messaging v1 spec (messaging.twilio.com: Services, senders, compliance). */
export function twilioMessagingSpec(): Spec {
  return loadSpec("messaging");
}

/**
 * The schema name to validate a response with: a component name for `$ref` schemas (e.g.
 * `api.v2010.account.message`), the title for inline ones (e.g. `ListMessageResponse`).
 */
export function responseSchemaName(
  path: string,
  method: "get" | "post",
  status: string,
  spec: TwilioSpecName = "api",
): string {
  const operation = loadSpec(spec).paths[path]?.[method] as Operation | undefined;
  const schema = operation?.responses?.[status]?.content?.["application/json"]?.schema;
  const name = schema ? nameOfSchema(schema) : undefined;
  if (!name) throw new Error(`no named JSON schema for ${method.toUpperCase()} ${path} ${status}`);
  return name;
}

/** Errors (empty when valid) of a response body against a named schema. */
export function validateTwilioResponse(
  schemaName: string,
  body: unknown,
  options: ResponseValidationOptions = {},
): string[] {
  return run(options.spec ?? "api", options.complete ? "complete" : "published", schemaName, body);
}

/**
 * Errors (empty when valid) of Messages create form parameters against the spec's request body. Form values are
 * strings, so they are coerced to the declared types (numbers, booleans, arrays) first. Unknown parameter names
 * are errors: Twilio ignores them silently, which hides typos such as `MediaUrls`.
 */
export function validateCreateMessageParams(params: Record<string, string | string[]>): string[] {
  return validateTwilioRequestParams(CREATE_MESSAGE_SCHEMA, params);
}

/**
 * Errors (empty when valid) of form parameters against a titled request body of either spec, e.g.
 * `UpdateIncomingPhoneNumberRequest` (api) or `UpdateServiceRequest` (messaging); coerced and closed as above.
 */
export function validateTwilioRequestParams(
  requestTitle: string,
  params: Record<string, string | string[]>,
  spec: TwilioSpecName = "api",
): string[] {
  return run(spec, "request", requestTitle, structuredClone(params));
}

/**
 * Errors (empty when valid) of a GET's query parameters against the operation's: a name it does not declare (Twilio
 * would ignore it), or a value outside its schema (e.g. PageSize over 1000). Values are strings, coerced as above.
 */
export function validateTwilioQuery(
  path: string,
  params: Record<string, string[]>,
  spec: TwilioSpecName = "api",
): string[] {
  const cacheKey = `${spec}:query:${path}`;
  let validate = validators.get(cacheKey);
  if (!validate) {
    const operation = loadSpec(spec).paths[path]?.get as Operation | undefined;
    if (!operation) throw new Error(`no GET ${path} in the ${spec} spec`);
    const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === "query");
    const properties = Object.fromEntries(declared.map((p) => [p.name, { type: "array", items: p.schema ?? {} }]));
    const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: "array" });
    for (const [name, check] of Object.entries(TWILIO_FORMATS)) ajv.addFormat(name, check);
    validate = ajv.compile({ type: "object", properties, additionalProperties: false });
    validators.set(cacheKey, validate);
  }
  return validate(structuredClone(params)) ? [] : (validate.errors ?? []).map(describeError);
}

function run(spec: TwilioSpecName, mode: Mode, name: string, data: unknown): string[] {
  const cacheKey = `${spec}:${mode}:${name}`;
  let validate = validators.get(cacheKey);
  if (!validate) {
    const documentId = SPEC_FILES[spec].documentId;
    validate = ajvFor(spec, mode).getSchema(`${documentId}#/components/schemas/${escapePointer(name)}`);
    if (!validate) throw new Error(`unknown Twilio schema: ${name}`);
    validators.set(cacheKey, validate);
  }
  return validate(data) ? [] : (validate.errors ?? []).map(describeError);
}

function ajvFor(spec: TwilioSpecName, mode: Mode): Ajv {
  const key = `${spec}:${mode}`;
  let ajv = ajvByKey.get(key);
  if (!ajv) {
    if (mode === "request") ajv = buildAjv(spec, closeRequestBodies, { coerceTypes: "array" });
    else ajv = buildAjv(spec, mode === "complete" ? requireAllProperties : () => {});
    ajvByKey.set(key, ajv);
  }
  return ajv;
}

/**
 * One Ajv over one document: the spec's component schemas plus every titled inline request / response schema
 * (titles are unique in the spec), so `#/components/schemas/...` refs resolve inside all of them.
 */
function buildAjv(
  specName: TwilioSpecName,
  transform: (node: Record<string, unknown>) => void,
  extra: { coerceTypes?: "array" } = {},
): Ajv {
  const spec = loadSpec(specName);
  const schemas: Record<string, Schema> = structuredClone(spec.components.schemas);
  for (const [title, schema] of titledOperationSchemas(spec)) {
    if (schemas[title]) throw new Error(`titled schema ${title} collides with a component name`);
    schemas[title] = structuredClone(schema);
  }
  forEachObject(schemas, dropTypelessNullable);
  forEachObject(schemas, transform);
  // strict: false lets Ajv ignore Twilio's x-* keywords and handles OpenAPI's `nullable`.
  const ajv = new Ajv({ strict: false, allErrors: true, ...extra });
  for (const [name, check] of Object.entries(TWILIO_FORMATS)) ajv.addFormat(name, check);
  ajv.addSchema({ $id: SPEC_FILES[specName].documentId, components: { schemas } });
  return ajv;
}

function titledOperationSchemas(spec: Spec): Array<[string, Schema]> {
  const found: Array<[string, Schema]> = [];
  for (const pathItem of Object.values(spec.paths)) {
    for (const operation of Object.values(pathItem) as Operation[]) {
      if (typeof operation !== "object" || operation === null) continue;
      const bodies = [
        ...Object.values(operation.requestBody?.content ?? {}),
        ...Object.values(operation.responses ?? {}).flatMap((r) => Object.values(r.content ?? {})),
      ];
      for (const { schema } of bodies) {
        if (schema && typeof schema.title === "string" && !schema.$ref) found.push([schema.title, schema]);
      }
    }
  }
  return found;
}

function nameOfSchema(schema: Schema): string | undefined {
  const ref = typeof schema.$ref === "string" ? /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1] : undefined;
  return ref ?? (typeof schema.title === "string" ? schema.title : undefined);
}

/** Ajv rejects `nullable` without `type`; a few call/recording schemas have it, and it means "anything" there. */
function dropTypelessNullable(node: Record<string, unknown>): void {
  if (node.nullable === true && node.type === undefined) delete node.nullable;
}

/** Requires every declared property and forbids others, in an object schema that declares properties. */
function requireAllProperties(node: Record<string, unknown>): void {
  const properties = node.properties;
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return;
  node.required = Object.keys(properties);
  node.additionalProperties = false;
}

/** Calls `visit` on every plain object in a JSON tree, parents before children. */
function forEachObject(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) forEachObject(item, visit);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const record = node as Record<string, unknown>;
  visit(record);
  for (const value of Object.values(record)) forEachObject(value, visit);
}

/** Request bodies (titled `…Request`) take no parameter they do not declare. */
function closeRequestBodies(node: Record<string, unknown>): void {
  if (typeof node.title === "string" && node.title.endsWith("Request") && typeof node.properties === "object") {
    node.additionalProperties = false;
  }
}

/** Twilio's own format names; the ones that matter for our shapes are checked, the rest accepted. */
const TWILIO_FORMATS: Record<string, (value: string) => boolean> = {
  "date-time-rfc-2822": (v) =>
    /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(
      v,
    ),
  // E.164, a channel address (whatsapp:+1..., rcs:+1..., the prefix in any case), a short code, or an alphanumeric
  // sender id (has a letter).
  "phone-number": (v) =>
    /^([a-z]+:)?\+[1-9]\d{1,14}$/i.test(v) || /^\d{5,6}$/.test(v) || /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(v),
  // Twilio's "uri" values are often relative ("/2010-04-01/...") and sometimes empty.
  uri: (v) => v === "" || v.startsWith("/") || URL.canParse(v),
  "date-time": (v) => !Number.isNaN(Date.parse(v)),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v),
  currency: (v) => /^[A-Z]{3}$/.test(v),
  "http-method": (v) => /^(GET|POST|PUT|DELETE|HEAD|PATCH)$/.test(v),
  "iso-country-code": (v) => /^[A-Z]{2}$/.test(v),
  "uri-map": () => true,
  "phone-number-capabilities": () => true,
  "ice-server": () => true,
  endpoint: () => true,
  twiml: () => true,
  int32: () => true,
  int64: () => true,
};

function escapePointer(name: string): string {
  return encodeURIComponent(name.replace(/~/g, "~0").replace(/\//g, "~1"));
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === "" ? "(root)" : error.instancePath;
  const detail =
    error.keyword === "additionalProperties"
      ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
      : "";
  return `${where} ${error.message ?? error.keyword}${detail}`;
}
