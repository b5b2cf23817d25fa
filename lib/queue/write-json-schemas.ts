import { writeFileSync } from "node:fs";
import { jsonSchemas } from "./json-schemas.ts";

// `npm run schemas` regenerates the committed JSON Schemas; a test fails when they drift from the zod source.
for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(new URL(`../../schemas/${file}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/${file}`);
}
