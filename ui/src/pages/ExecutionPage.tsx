import { useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { gate, type Execution, type StageExecution } from "../api/client";
import { useLiveQueries } from "../api/events";
import { Json, ProblemView, StatusBadge } from "../components/common";
import { StageGraph } from "../components/StageGraph";
import { elapsed, formatTime, isComplete, stageErrors } from "../lib/format";

export function ExecutionPage() {
  const { app, id } = useParams() as { app: string; id: string };
  const key = ["execution", id];
  const execution = useQuery({ queryKey: key, queryFn: () => gate.execution(id) });
  useLiveQueries({ executionId: id }, [key]);
  const [selected, setSelected] = useState<string>();
  const e = execution.data;
  if (!e) return execution.error ? <ProblemView error={execution.error} /> : <p>Loading…</p>;
  const topLevel = e.stages.filter((s) => !s.parentStageId);
  // Without a choice, show the stage that needs attention: a running judgment, else one running or failed,
  // else the one that started last (where a finished execution ended).
  const focus =
    topLevel.find((s) => s.refId === selected) ??
    topLevel.find((s) => s.type === "manualJudgment" && s.status === "RUNNING") ??
    topLevel.find((s) => s.status === "RUNNING" || s.status === "TERMINAL") ??
    [...topLevel].sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0))[0];
  return (
    <section className="execution" data-execution-status={e.status}>
      <div className="execution-header">
        <h3>
          <Link to={`/app/${app}`}>{e.name}</Link> <StatusBadge status={e.status} />
        </h3>
        <span className="muted">
          started {formatTime(e.startTime ?? e.buildTime)} by {String(e.trigger.user ?? "?")} · {elapsed(e.startTime, e.endTime)}
        </span>
        <ExecutionActions execution={e} />
      </div>
      <ProblemView error={execution.error} />
      <StageGraph stages={topLevel} selected={focus?.refId} onSelect={setSelected} />
      {focus && <StageDetails execution={e} stage={focus} />}
    </section>
  );
}

/** Runs one control call and puts the execution it answers into the cache; shows its problem when it fails. */
function useControl(executionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (call: () => Promise<Execution>) => call(),
    onSuccess: (updated) => {
      if (updated) client.setQueryData(["execution", executionId], updated);
      void client.invalidateQueries({ queryKey: ["execution", executionId] });
    },
  });
}

function ExecutionActions({ execution }: { execution: Execution }) {
  const control = useControl(execution.id);
  if (isComplete(execution.status)) return <ProblemView error={control.error} />;
  return (
    <div className="buttons">
      {execution.status === "PAUSED" ? (
        <button onClick={() => control.mutate(() => gate.resume(execution.id))}>Resume</button>
      ) : (
        <button onClick={() => control.mutate(() => gate.pause(execution.id))}>Pause</button>
      )}
      <button className="danger" onClick={() => confirm("Cancel this execution?") && control.mutate(() => gate.cancel(execution.id))}>
        Cancel execution
      </button>
      <ProblemView error={control.error} />
    </div>
  );
}

function StageDetails({ execution, stage }: { execution: Execution; stage: StageExecution }) {
  const control = useControl(execution.id);
  const errors = stageErrors(stage.context as Record<string, unknown>);
  const children = execution.stages.filter((s) => s.parentStageId === stage.id);
  return (
    <div className="stage-details" data-stage={stage.refId}>
      <h4>
        {stage.name} <span className="muted">({stage.type})</span> <StatusBadge status={stage.status} />
      </h4>
      <p className="muted">
        {formatTime(stage.startTime)} · {elapsed(stage.startTime, stage.endTime)}
      </p>
      {stage.type === "manualJudgment" && stage.status === "RUNNING" && <Judgment execution={execution} stage={stage} />}
      {errors.length > 0 && (
        <div className="problem" role="alert">
          {errors.map((message) => <div key={message}>{message}</div>)}
        </div>
      )}
      <div className="buttons">
        {isComplete(stage.status) && stage.status !== "SKIPPED" && (
          <button onClick={() => control.mutate(() => gate.restartStage(execution.id, stage.id))}>Restart stage</button>
        )}
        {stage.status === "RUNNING" && stage.type === "wait" && (
          <button onClick={() => control.mutate(() => gate.skipStage(execution.id, stage.id))}>Skip stage</button>
        )}
      </div>
      <ProblemView error={control.error} />
      <h5>Tasks</h5>
      <table className="list">
        <tbody>
          {[...children.flatMap((c) => c.tasks.map((t) => ({ ...t, name: `${c.name}: ${t.name}` }))), ...stage.tasks].map((t) => (
            <tr key={t.id + t.name}>
              <td>{t.name}</td>
              <td><StatusBadge status={t.status} /></td>
              <td>{elapsed(t.startTime, t.endTime)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details open>
        <summary>Context</summary>
        <Json value={stage.context} />
      </details>
      <details>
        <summary>Outputs</summary>
        <Json value={stage.outputs} />
      </details>
    </div>
  );
}

/** Orca's manual judgment: instructions, an optional choice among judgmentInputs, Continue or Stop. */
function Judgment({ execution, stage }: { execution: Execution; stage: StageExecution }) {
  const control = useControl(execution.id);
  const context = stage.context as { instructions?: string; judgmentInputs?: { value: string }[] };
  const inputs = context.judgmentInputs ?? [];
  const [input, setInput] = useState("");
  const decide = (status: "continue" | "stop") => control.mutate(() => gate.judge(execution.id, stage.id, status, input || undefined));
  return (
    <div className="judgment">
      {context.instructions && <p className="instructions">{context.instructions}</p>}
      {inputs.length > 0 && (
        <select aria-label="Judgment input" value={input} onChange={(e) => setInput(e.target.value)}>
          <option value="">Choose…</option>
          {inputs.map((i) => <option key={i.value} value={i.value}>{i.value}</option>)}
        </select>
      )}
      <button onClick={() => decide("continue")} disabled={control.isPending}>Continue</button>
      <button className="danger" onClick={() => decide("stop")} disabled={control.isPending}>Stop</button>
      <ProblemView error={control.error} />
    </div>
  );
}
