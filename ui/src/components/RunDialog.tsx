import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { gate, type PipelineConfig } from "../api/client";
import { Modal, ProblemView } from "./common";

interface Parameter {
  name: string;
  label?: string;
  description?: string;
  default?: string;
  required?: boolean;
  options?: { value: string }[];
}

/** Starts a pipeline by hand, asking for its parameters (parameterConfig) first. */
export function RunDialog({ app, config, onClose, onStarted }: { app: string; config: PipelineConfig; onClose: () => void; onStarted: (executionId: string) => void }) {
  const parameters = ((config as { parameterConfig?: Parameter[] }).parameterConfig ?? []) as Parameter[];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(parameters.map((p) => [p.name, p.default ?? ""])));
  const run = useMutation({
    mutationFn: () => gate.trigger(app, config.name, values),
    onSuccess: (accepted) => onStarted(accepted.ref.split("/").pop()!),
  });
  return (
    <Modal title={`Run ${config.name}`} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        {parameters.length === 0 && <p className="muted">This pipeline has no parameters.</p>}
        {parameters.map((p) => (
          <label key={p.name} className="field">
            {p.label || p.name}{p.required ? " *" : ""}
            {p.options?.length ? (
              <select aria-label={p.label || p.name} value={values[p.name]} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}>
                <option value="" />
                {p.options.map((o) => <option key={o.value} value={o.value}>{o.value}</option>)}
              </select>
            ) : (
              <input aria-label={p.label || p.name} value={values[p.name]} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })} />
            )}
            {p.description && <small className="muted">{p.description}</small>}
          </label>
        ))}
        <ProblemView error={run.error} />
        <div className="buttons">
          <button type="submit" disabled={run.isPending}>Run</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
