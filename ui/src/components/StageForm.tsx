import { Fragment } from "react";
import { COMMON_FIELDS, STAGE_TYPES, getPath, setPath, type FieldSpec } from "../lib/stageTypes";
import { JsonEditor } from "./common";
import { ManifestEditor } from "./ManifestEditor";

type Stage = Record<string, unknown>;

/**
 * The form of one stage: its common fields, then its type's (STAGE_TYPES), under their sections' headings.
 * `problems` maps a field's path (FieldSpec.path) to the server's messages, shown under the field.
 */
export function StageForm({ stage, onChange, problems }: { stage: Stage; onChange: (s: Stage) => void; problems: Map<string, string[]> }) {
  const fields = [...COMMON_FIELDS, ...(STAGE_TYPES[String(stage.type)] ?? [])];
  return (
    <div className="stage-form">
      {fields.map((f, i) => (
        <Fragment key={f.path}>
          {f.section && f.section !== fields[i - 1]?.section && <h5 className="form-section">{f.section}</h5>}
          <Field spec={f} value={getPath(stage, f.path)} onChange={(v) => onChange(setPath(stage, f.path, v))} problems={problems.get(f.path)} />
        </Fragment>
      ))}
    </div>
  );
}

function Field({ spec, value, onChange, problems }: { spec: FieldSpec; value: unknown; onChange: (v: unknown) => void; problems?: string[] }) {
  const text = value === undefined || value === null ? "" : String(value);
  let input;
  switch (spec.kind) {
    case "number":
      input = (
        <input
          aria-label={spec.label}
          value={text}
          // An expression (${...}) is kept as text; the server evaluates it.
          onChange={(e) => onChange(e.target.value === "" ? undefined : Number.isFinite(Number(e.target.value)) ? Number(e.target.value) : e.target.value)}
        />
      );
      break;
    case "boolean":
      input = (
        <input
          type="checkbox"
          aria-label={spec.label}
          checked={(value ?? spec.default) === true}
          onChange={(e) => onChange(e.target.checked === (spec.default ?? false) ? undefined : e.target.checked)}
        />
      );
      break;
    case "textarea":
      input = <textarea aria-label={spec.label} rows={3} value={text} onChange={(e) => onChange(e.target.value || undefined)} />;
      break;
    case "select":
      input = (
        <select aria-label={spec.label} value={text} onChange={(e) => onChange(e.target.value || undefined)}>
          {!spec.options?.includes("") && <option value="" />}
          {spec.options?.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      );
      break;
    case "list": {
      const lines = Array.isArray(value) ? value.map((v) => (typeof v === "object" && v && "value" in v ? String(v.value) : String(v))) : [];
      input = (
        <textarea
          aria-label={spec.label}
          rows={3}
          value={lines.join("\n")}
          onChange={(e) => onChange(e.target.value === "" ? [] : e.target.value.split("\n"))}
        />
      );
      break;
    }
    case "keyValues":
      input = <KeyValues value={Array.isArray(value) ? (value as { key: string; value: unknown }[]) : []} onChange={onChange} />;
      break;
    case "json":
      input = <JsonEditor label={spec.label} value={value} onChange={onChange} rows={4} />;
      break;
    case "manifests":
      input = <ManifestEditor label={spec.label} value={value} onChange={onChange} />;
      break;
    default:
      input = <input aria-label={spec.label} value={text} onChange={(e) => onChange(e.target.value || undefined)} />;
  }
  return (
    <label className={`field${problems ? " invalid" : ""}${spec.kind === "manifests" ? " wide" : ""}`} data-field={spec.path}>
      <span>{spec.label}</span>
      {input}
      {spec.help && <span className="help">{spec.help}</span>}
      {problems?.map((p) => <span key={p} className="field-error">{p}</span>)}
    </label>
  );
}

function KeyValues({ value, onChange }: { value: { key: string; value: unknown }[]; onChange: (v: unknown) => void }) {
  const set = (i: number, item: { key: string; value: unknown }) => onChange(value.map((v, j) => (j === i ? item : v)));
  return (
    <div className="key-values">
      {value.map((v, i) => (
        <div key={i} className="row">
          <input aria-label={`Key ${i + 1}`} value={v.key} onChange={(e) => set(i, { ...v, key: e.target.value })} />
          <input aria-label={`Value ${i + 1}`} value={String(v.value ?? "")} onChange={(e) => set(i, { ...v, value: e.target.value })} />
          <button type="button" onClick={() => onChange(value.filter((_, j) => j !== i))}>Remove</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...value, { key: "", value: "" }])}>Add variable</button>
    </div>
  );
}
