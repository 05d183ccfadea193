// Regenerates src/api/schema.d.ts from gate's OpenAPI document.
// Usage: npm run gen:api [-- <url or file>]  (default: a running standalone at http://127.0.0.1:8084)
import { writeFileSync } from "node:fs";
import openapiTS, { astToString, NUMBER, NULL, tsUnion } from "openapi-typescript";

const source = process.argv[2] ?? "http://127.0.0.1:8084/openapi/v1.json";
const url = /^https?:/.test(source) ? new URL(source) : new URL(source, `file://${process.cwd()}/`);
const ast = await openapiTS(url, {
  // ASP.NET Core documents numbers as ["integer"|"number", "string"] because its JSON reader also
  // accepts them quoted; gate always writes them as numbers.
  transform(schema) {
    const types = Array.isArray(schema.type) ? schema.type : [];
    if (types.includes("string") && (types.includes("integer") || types.includes("number"))) {
      return types.includes("null") ? tsUnion([NUMBER, NULL]) : NUMBER;
    }
    return undefined;
  },
});
const header = `// Generated from gate's OpenAPI document by scripts/gen-api.mjs (npm run gen:api); do not edit.\n`;
writeFileSync(new URL("../src/api/schema.d.ts", import.meta.url), header + astToString(ast));
console.log(`src/api/schema.d.ts from ${source}`);
