import { useEffect, useMemo, useState } from "react";
import { manifestsToYaml, parseManifests } from "../lib/manifests";

/**
 * The manifests of a deployManifest stage as YAML text. The text is kept as typed while it does not read as
 * manifests (the problems are listed under it, by document); once it does, the manifests are handed up as a
 * JSON array, which is what the stage sends. A value changed from outside (the stage JSON) replaces the text.
 */
export function ManifestEditor({ label, value, onChange }: { label: string; value: unknown; onChange: (manifests: unknown[]) => void }) {
  const [text, setText] = useState(() => manifestsToYaml(value));
  const { errors } = useMemo(() => parseManifests(text), [text]);
  useEffect(() => {
    setText((current) => {
      const parsed = parseManifests(current);
      return parsed.errors.length === 0 && JSON.stringify(parsed.manifests) === JSON.stringify(value ?? []) ? current : manifestsToYaml(value);
    });
  }, [value]);
  return (
    <div className="manifest-editor">
      <textarea
        aria-label={label}
        className="code"
        spellCheck={false}
        rows={14}
        value={text}
        placeholder={"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: ..."}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = parseManifests(e.target.value);
          if (parsed.errors.length === 0) onChange(parsed.manifests);
        }}
      />
      {errors.map((e) => <div key={e} className="field-error">{e}</div>)}
      {errors.length === 0 && Array.isArray(value) && value.length > 0 && (
        <div className="muted">{value.length} manifest{value.length === 1 ? "" : "s"}: {value.map(describe).join(", ")}</div>
      )}
    </div>
  );
}

function describe(manifest: unknown): string {
  const m = manifest as { kind?: string; metadata?: { name?: string; generateName?: string } };
  return `${m.kind ?? "?"} ${m.metadata?.name ?? m.metadata?.generateName ?? "?"}`;
}
