import { describe, expect, it } from "vitest";
import { manifestsToYaml, parseManifests } from "./manifests";

const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n";
const service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";

describe("parseManifests", () => {
  it("reads every YAML document as one manifest, as JSON objects", () => {
    const { manifests, errors } = parseManifests(`${deployment}---\n${service}---\n`);
    expect(errors).toEqual([]);
    expect(manifests).toEqual([
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 2 } },
      { apiVersion: "v1", kind: "Service", metadata: { name: "web" } },
    ]);
  });

  it("reads JSON, a list of manifests and a kind: List", () => {
    expect(parseManifests('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}').manifests).toHaveLength(1);
    expect(parseManifests(`- ${deployment.replaceAll("\n", "\n  ")}`).manifests).toHaveLength(1);
    expect(parseManifests('{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"}},{"apiVersion":"v1","kind":"Service","metadata":{"name":"b"}}]}').manifests.map((m) => (m.metadata as { name: string }).name)).toEqual(["a", "b"]);
  });

  it("names the document and the field that is missing", () => {
    const { errors } = parseManifests(`${deployment}---\napiVersion: v1\nkind: Service\nmetadata: {}\n---\nkind: Pod\nmetadata:\n  name: p\n`);
    expect(errors).toEqual(["Document 2: 'metadata.name' is required for the Service.", "Document 3: 'apiVersion' is required (e.g. apps/v1)."]);
  });

  it("reports YAML syntax errors with their document, and plain values", () => {
    expect(parseManifests("kind: [unclosed")).toMatchObject({ errors: [expect.stringMatching(/^Document 1: /)] });
    expect(parseManifests("just text").errors).toEqual(["Document 1: a manifest must be a mapping (apiVersion, kind, metadata ...), not a plain value."]);
    expect(parseManifests("   ").errors).toEqual(["At least one manifest is required."]);
  });

  it("refuses alias bombs instead of expanding them", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)].join("\n");
    expect(() => parseManifests(bomb)).not.toThrow();
    expect(parseManifests(bomb).manifests).toEqual([]);
  });

  it("writes manifests back as YAML documents that read the same", () => {
    const { manifests } = parseManifests(`${deployment}---\n${service}`);
    expect(parseManifests(manifestsToYaml(manifests)).manifests).toEqual(manifests);
    expect(manifestsToYaml(undefined)).toBe("");
  });
});
