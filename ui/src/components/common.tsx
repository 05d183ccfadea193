import { useEffect, useState, type ReactNode } from "react";
import { ApiError } from "../api/client";

/** A failed call's problem+json: its title, detail and any field errors. */
export function ProblemView({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : { title: "Error", detail: String(error) };
  return (
    <div className="problem" role="alert">
      <strong>{problem.title ?? "Error"}{problem.status ? ` (${problem.status})` : ""}</strong>
      {problem.detail && <div className="problem-detail">{problem.detail}</div>}
      {problem.errors && (
        <ul>
          {Object.entries(problem.errors).map(([field, messages]) => (
            <li key={field}>
              <code>{field}</code>: {messages.join(" ")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status.toLowerCase()}`} data-status={status}>{status}</span>;
}

export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-label={title} onClick={(e) => e.stopPropagation()}>
        <h3>{title}</h3>
        {children}
      </div>
    </div>
  );
}

/** Asks before doing something that cannot be undone; shows the action's problem when it fails. */
export function Confirm({ title, message, action, onDone }: { title: string; message: ReactNode; action: () => Promise<unknown>; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <Modal title={title} onClose={onDone}>
      <p>{message}</p>
      <ProblemView error={error} />
      <div className="buttons">
        <button
          className="danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await action();
              onDone();
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          Confirm
        </button>
        <button onClick={onDone}>Cancel</button>
      </div>
    </Modal>
  );
}

/**
 * A JSON text editor: keeps the text while it does not parse (and says why), hands parsed values up.
 * `value` changes from outside replace the text.
 */
export function JsonEditor({ value, onChange, rows = 12, label }: { value: unknown; onChange: (v: unknown) => void; rows?: number; label: string }) {
  const [text, setText] = useState(() => JSON.stringify(value, null, 2) ?? "");
  const [error, setError] = useState<string>();
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        // the user's unparsable text gives way to the new value
      }
      return JSON.stringify(value, null, 2) ?? "";
    });
  }, [value]);
  return (
    <div className="json-editor">
      <textarea
        aria-label={label}
        spellCheck={false}
        rows={rows}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const parsed = e.target.value.trim() === "" ? undefined : JSON.parse(e.target.value);
            setError(undefined);
            onChange(parsed);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      />
      {error && <div className="field-error">Not valid JSON: {error}</div>}
    </div>
  );
}

export function Json({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}
