import { isMap, isScalar, isSeq, parseAllDocuments, stringify } from "yaml";

/** Most manifests one stage may carry: more is a sign of a pasted directory, and gate bounds the body anyway. */
export const MAX_MANIFESTS = 100;
/** Most characters the editor parses (1 MiB); gate refuses larger bodies. */
export const MAX_MANIFEST_TEXT = 1 << 20;

export type Manifest = Record<string, unknown>;

/** What the editor's text holds: the manifests when every document is one, otherwise the problems, one per document. */
export interface ManifestParse {
  manifests: Manifest[];
  errors: string[];
}

/**
 * Reads the manifests of a deployManifest stage from YAML or JSON text: documents separated by `---`, a document
 * holding a list (or a `kind: List`) giving several. Each must be a Kubernetes object with `apiVersion`, `kind` and
 * `metadata.name` (or `generateName`), as clouddriver's kubernetes provider requires of inline manifests.
 */
export function parseManifests(text: string): ManifestParse {
  if (text.length > MAX_MANIFEST_TEXT) return { manifests: [], errors: [`The manifests are ${text.length} characters; at most ${MAX_MANIFEST_TEXT} are read.`] };
  const manifests: Manifest[] = [];
  const errors: string[] = [];
  parseAllDocuments(text).forEach((doc, d) => {
    const where = `Document ${d + 1}`;
    if (doc.errors.length > 0) {
      errors.push(...doc.errors.map((e) => `${where}: ${e.message}`));
      return;
    }
    // An empty document, e.g. after a trailing ---.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    if (!isMap(doc.contents) && !isSeq(doc.contents)) {
      errors.push(`${where}: a manifest must be a mapping (apiVersion, kind, metadata ...), not a plain value.`);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // yaml refuses documents whose aliases would expand past maxAliasCount (a "billion laughs").
      errors.push(`${where}: ${(e as Error).message}`);
      return;
    }
    const items = Array.isArray(value) ? value : isList(value) ? (value.items as unknown[]) : [value];
    items.forEach((item, i) => {
      const label = items.length > 1 || Array.isArray(value) ? `${where}, item ${i + 1}` : where;
      const problem = manifestProblem(item);
      if (problem) errors.push(`${label}: ${problem}`);
      else manifests.push(item as Manifest);
    });
  });
  if (manifests.length > MAX_MANIFESTS) errors.push(`${manifests.length} manifests; a stage may deploy at most ${MAX_MANIFESTS}.`);
  if (manifests.length === 0 && errors.length === 0) errors.push("At least one manifest is required.");
  return { manifests, errors };
}

/** The manifests as YAML documents, for the editor's text. */
export function manifestsToYaml(manifests: unknown): string {
  if (!Array.isArray(manifests) || manifests.length === 0) return "";
  return manifests.map((m) => stringify(m, { lineWidth: 0 })).join("---\n");
}

function isList(value: unknown): value is { items: unknown[] } {
  return !!value && typeof value === "object" && (value as Manifest).kind === "List" && Array.isArray((value as Manifest).items);
}

function manifestProblem(item: unknown): string | undefined {
  if (!item || typeof item !== "object" || Array.isArray(item)) return "a manifest must be a mapping (apiVersion, kind, metadata ...).";
  const m = item as Manifest;
  if (typeof m.apiVersion !== "string" || !m.apiVersion) return "'apiVersion' is required (e.g. apps/v1).";
  if (typeof m.kind !== "string" || !m.kind) return "'kind' is required (e.g. Deployment).";
  const metadata = m.metadata as Manifest | undefined;
  if (!metadata || typeof metadata !== "object" || !(typeof metadata.name === "string" && metadata.name) && !(typeof metadata.generateName === "string" && metadata.generateName)) {
    return `'metadata.name' is required for the ${m.kind}.`;
  }
  return undefined;
}
