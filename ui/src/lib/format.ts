/** A duration in milliseconds as people read it: 850ms, 12s, 3m 05s, 2h 04m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** How long something took, or has been running (until `now`). */
export function elapsed(start?: number | null, end?: number | null, now = Date.now()): string {
  if (!start) return "";
  return formatDuration((end ?? now) - start);
}

export function formatTime(ms?: number | null): string {
  return ms ? new Date(ms).toLocaleString() : "";
}

/** Statuses the engine has finished with (Orca's ExecutionStatus.isComplete). */
const COMPLETE = new Set(["SUCCEEDED", "FAILED_CONTINUE", "TERMINAL", "CANCELED", "STOPPED", "SKIPPED"]);
export const isComplete = (status: string) => COMPLETE.has(status);

/** The errors a stage recorded, wherever its tasks put them (Orca's exception.details.errors, error, errors). */
export function stageErrors(context: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === "string" && v) out.push(v);
    else if (Array.isArray(v)) v.forEach(add);
  };
  const exception = context.exception as { details?: { errors?: unknown; error?: unknown } } | undefined;
  add(exception?.details?.errors);
  add(exception?.details?.error);
  add(context.error);
  add(context.errors);
  return [...new Set(out)];
}
