import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { gate, type Execution, type PipelineConfig } from "../api/client";
import { useLiveQueries } from "../api/events";
import { ProblemView, StatusBadge } from "../components/common";
import { RunDialog } from "../components/RunDialog";
import { elapsed, formatTime } from "../lib/format";

/** Executions fetched for the application: enough for every pipeline's recent runs. */
const EXECUTION_LIMIT = 200;
/** Executions shown per pipeline. */
const PER_PIPELINE = 5;

export function PipelinesPage() {
  const app = useParams().app!;
  const configs = useQuery({ queryKey: ["pipelineConfigs", app], queryFn: () => gate.pipelineConfigs(app) });
  const executions = useQuery({ queryKey: ["executions", app], queryFn: () => gate.executions(app, EXECUTION_LIMIT) });
  useLiveQueries({ application: app }, [["executions", app]]);
  const [running, setRunning] = useState<PipelineConfig>();
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const navigate = useNavigate();
  const byConfig = useMemo(() => groupExecutions(executions.data ?? []), [executions.data]);
  return (
    <section>
      <div className="toolbar">
        <Link className="button" to={`/app/${app}/edit`}>New pipeline</Link>
      </div>
      <ProblemView error={configs.error ?? executions.error} />
      {configs.isPending && <p>Loading…</p>}
      {configs.data?.length === 0 && <p>No pipelines yet.</p>}
      {configs.data?.map((config) => {
        const runs = byConfig.get(config.id ?? "") ?? byConfig.get(config.name) ?? [];
        return (
          <div className="pipeline" key={config.id ?? config.name} data-pipeline={config.name}>
            <div className="pipeline-header">
              <h3>{config.name}</h3>
              <span className="muted">{config.stages?.length ?? 0} stages</span>
              <Link className="button" to={`/app/${app}/edit/${encodeURIComponent(config.name)}`}>Edit</Link>
              <button onClick={() => setRunning(config)}>Start manual execution</button>
            </div>
            <ExecutionRows app={app} executions={expanded.has(config.name) ? runs : runs.slice(0, PER_PIPELINE)} />
            {runs.length > PER_PIPELINE && !expanded.has(config.name) && (
              <button className="link" onClick={() => setExpanded(new Set([...expanded, config.name]))}>Show all {runs.length} executions</button>
            )}
          </div>
        );
      })}
      {running && (
        <RunDialog app={app} config={running} onClose={() => setRunning(undefined)} onStarted={(id) => navigate(`/app/${app}/executions/${id}`)} />
      )}
    </section>
  );
}

/** Executions by pipeline config id (or name, for executions without one), newest first. */
export function groupExecutions(executions: Execution[]): Map<string, Execution[]> {
  const groups = new Map<string, Execution[]>();
  for (const e of executions) {
    const key = e.pipelineConfigId ?? e.name;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  for (const list of groups.values()) list.sort((a, b) => (b.startTime ?? b.buildTime) - (a.startTime ?? a.buildTime));
  return groups;
}

function ExecutionRows({ app, executions }: { app: string; executions: Execution[] }) {
  if (executions.length === 0) return <p className="muted">Not run yet.</p>;
  return (
    <table className="list executions">
      <tbody>
        {executions.map((e) => (
          <tr key={e.id} data-execution={e.id}>
            <td><StatusBadge status={e.status} /></td>
            <td><Link to={`/app/${app}/executions/${e.id}`}>{formatTime(e.startTime ?? e.buildTime)}</Link></td>
            <td>{elapsed(e.startTime, e.endTime)}</td>
            <td className="stage-dots">
              {e.stages.filter((s) => !s.parentStageId).map((s) => (
                <span key={s.id} className={`dot status-${s.status.toLowerCase()}`} title={`${s.name}: ${s.status}`} />
              ))}
            </td>
            <td className="muted">{String(e.trigger.user ?? e.trigger.type ?? "")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
