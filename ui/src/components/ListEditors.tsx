import type { FieldProblem } from "../lib/validation";
import { JsonEditor } from "./common";

type Item = Record<string, unknown>;

/** A list of objects (triggers, notifications), each edited as JSON. */
export function ObjectListEditor({ label, items, onChange, template }: { label: string; items: Item[]; onChange: (items: Item[]) => void; template: Item }) {
  return (
    <div className="list-editor">
      {items.map((item, i) => (
        <div key={i} className="list-item">
          <JsonEditor label={`${label} ${i + 1}`} value={item} rows={5} onChange={(v) => v && typeof v === "object" && onChange(items.map((x, j) => (j === i ? (v as Item) : x)))} />
          <button onClick={() => onChange(items.filter((_, j) => j !== i))}>Remove</button>
        </div>
      ))}
      {items.length === 0 && <p className="muted">None.</p>}
      <button onClick={() => onChange([...items, template])}>Add {label.toLowerCase()}</button>
    </div>
  );
}

/**
 * Spinnaker's parameterConfig: name, label, description, default, required, options [{value}]. A problem at
 * `parameterConfig.i...` is shown in parameter i, one at `parameterConfig` above the list.
 */
export function ParametersEditor({ items, onChange, problems }: { items: Item[]; onChange: (items: Item[]) => void; problems: FieldProblem[] }) {
  const set = (i: number, key: string, value: unknown) => onChange(items.map((x, j) => (j === i ? { ...x, [key]: value } : x)));
  const problemsOf = (prefix: string) => problems.filter((p) => p.field === prefix || p.field?.startsWith(`${prefix}.`)).map((p) => p.message);
  return (
    <div className="list-editor">
      {problems.filter((p) => p.field === "parameterConfig").map((p) => <div key={p.message} className="field-error">{p.message}</div>)}
      {items.map((p, i) => (
        <div key={i} className={`list-item parameter${problemsOf(`parameterConfig.${i}`).length ? " invalid" : ""}`}>
          {problemsOf(`parameterConfig.${i}`).map((m) => <div key={m} className="field-error">{m}</div>)}
          <label className="field"><span>Name</span><input aria-label={`Parameter ${i + 1} name`} value={String(p.name ?? "")} onChange={(e) => set(i, "name", e.target.value)} /></label>
          <label className="field"><span>Label</span><input aria-label={`Parameter ${i + 1} label`} value={String(p.label ?? "")} onChange={(e) => set(i, "label", e.target.value)} /></label>
          <label className="field"><span>Default</span><input aria-label={`Parameter ${i + 1} default`} value={String(p.default ?? "")} onChange={(e) => set(i, "default", e.target.value)} /></label>
          <label className="field"><span>Description</span><input value={String(p.description ?? "")} onChange={(e) => set(i, "description", e.target.value)} /></label>
          <label className="field"><span>Required</span><input type="checkbox" checked={p.required === true} onChange={(e) => set(i, "required", e.target.checked)} /></label>
          <label className="field">
            <span>Options (one per line)</span>
            <textarea
              rows={2}
              value={((p.options as { value: string }[]) ?? []).map((o) => o.value).join("\n")}
              onChange={(e) => set(i, "options", e.target.value ? e.target.value.split("\n").map((value) => ({ value })) : [])}
            />
          </label>
          <button onClick={() => onChange(items.filter((_, j) => j !== i))}>Remove</button>
        </div>
      ))}
      <button onClick={() => onChange([...items, { name: "", label: "", default: "", required: false }])}>Add parameter</button>
    </div>
  );
}
