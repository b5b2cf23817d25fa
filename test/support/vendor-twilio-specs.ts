/**
 * Regenerates test/fixtures/twilio-oai/ from Twilio's published OpenAPI specs (github.com/twilio/twilio-oai, MIT):
 * only the operations this channel calls or its stand-in serves, plus every component schema they reference, so the
 * repo carries what its tests need (about a tenth of the 2.3 MB originals) and nothing outside it is read.
 *
 *   npx tsx test/support/vendor-twilio-specs.ts <folder holding twilio_api_v2010.json and twilio_messaging_v1.json>
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Paths kept from each spec, with all their operations. */
export const VENDORED_PATHS: Record<string, string[]> = {
  "twilio_api_v2010.json": [
    "/2010-04-01/Accounts/{Sid}.json",
    "/2010-04-01/Accounts/{AccountSid}/Messages.json",
    "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json",
    "/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media.json",
    "/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{Sid}.json",
    "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
    "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
  ],
  "twilio_messaging_v1.json": [
    "/v1/Services",
    "/v1/Services/{Sid}",
    "/v1/Services/{ServiceSid}/PhoneNumbers",
    "/v1/Services/{ServiceSid}/PhoneNumbers/{Sid}",
  ],
};

export const VENDORED_DIR = fileURLToPath(new URL("../fixtures/twilio-oai/", import.meta.url));
const LICENSE_FILE = "LICENSE-twilio-oai";

interface OpenApiDocument {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, unknown>; [other: string]: unknown };
  [other: string]: unknown;
}

/** The spec cut down to `keep` paths and the component schemas reachable from them (refs followed transitively). */
export function trimSpec(spec: OpenApiDocument, keep: string[]): OpenApiDocument {
  const paths: Record<string, unknown> = {};
  for (const path of keep) {
    if (!(path in spec.paths)) throw new Error(`the spec has no path ${path}`);
    paths[path] = spec.paths[path];
  }
  const schemas: Record<string, unknown> = {};
  const pending = [...referencedSchemas(paths)];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in schemas) continue;
    const schema = spec.components.schemas[name];
    if (schema === undefined) throw new Error(`the spec references a missing schema ${name}`);
    schemas[name] = schema;
    pending.push(...referencedSchemas(schema));
  }
  const { tags: _tags, ...rest } = spec;
  return { ...rest, paths, components: { ...spec.components, schemas: sortedByKey(schemas) } };
}

function referencedSchemas(node: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const match = key === "$ref" && typeof child === "string" ? /^#\/components\/schemas\/(.+)$/.exec(child) : null;
        if (match?.[1]) found.add(match[1]);
        visit(child);
      }
    }
  };
  visit(node);
  return found;
}

function sortedByKey(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function main(sourceDir: string | undefined): void {
  if (!sourceDir) throw new Error("usage: vendor-twilio-specs.ts <folder with Twilio's OpenAPI JSON specs>");
  for (const [file, keep] of Object.entries(VENDORED_PATHS)) {
    const spec = JSON.parse(readFileSync(join(sourceDir, file), "utf8")) as OpenApiDocument;
    writeFileSync(join(VENDORED_DIR, file), `${JSON.stringify(trimSpec(spec, keep), null, 1)}\n`);
  }
  // Read and written, not copied: the source may be read-only and its mode would come along.
  writeFileSync(join(VENDORED_DIR, LICENSE_FILE), readFileSync(join(sourceDir, LICENSE_FILE)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv[2]);
