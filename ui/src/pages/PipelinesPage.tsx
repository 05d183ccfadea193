import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useQueries, useQuery } from "@tanstack/react-query";
import { gate, type Execution, type PipelineConfig } from "../api/client";
import { useLiveQueries } from "../api/events";
import { ProblemView, StatusBadge } from "../components/common";
import { RunDialog } from "../components/RunDialog";
import { elapsed, formatTime } from "../lib/format";

/** Executions fetched and shown per pipeline at first (Deck's default): the page's first answer stays small. */
export const PER_PIPELINE = 5;
/** Executions of one pipeline fetched when its list is expanded. */
export const EXPANDED_LIMIT = 200;
/** Pipeline config ids gate takes in one `GET /executions` (the orchestrator's MaxPipelineConfigIds). */
const IDS_PER_REQUEST = 100;

/**
 * The latest executions of each of the given pipeline configs, `limit` each, in one request per 100 configs
 * (Spinnaker's `GET /executions?pipelineConfigIds=`), rather than the application's latest N of any pipeline.
 */
export async function recentExecutions(configIds: string[], limit: number): Promise<Execution[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < configIds.length; i += IDS_PER_REQUEST) chunks.push(configIds.slice(i, i + IDS_PER_REQUEST));
  return (await Promise.all(chunks.map((ids) => gate.pipelineExecutions(ids, limit)))).flat();
}

export function PipelinesPage() {
  const app = useParams().app!;
  const configs = useQuery({ queryKey: ["pipelineConfigs", app], queryFn: () => gate.pipelineConfigs(app) });
  const configIds = useMemo(() => (configs.data ?? []).flatMap((c) => (c.id ? [c.id] : [])), [configs.data]);
  const [expanded, setExpanded] = useState<string[]>([]);
  const executions = useQuery({
    queryKey: ["executions", app, "recent", configIds],
    queryFn: () => recentExecutions(configIds, PER_PIPELINE),
    enabled: configIds.length > 0,
    // A pipeline added or removed changes the key: the rows shown stay until the new answer.
    placeholderData: (previous) => previous,
  });
  const more = useQueries({
    queries: expanded.map((id) => ({ queryKey: ["executions", app, "pipeline", id], queryFn: () => recentExecutions([id], EXPANDED_LIMIT) })),
  });
  useLiveQueries({ application: app }, [["executions", app]]);
  const [running, setRunning] = useState<PipelineConfig>();
  const navigate = useNavigate();
  const byConfig = useMemo(() => groupExecutions(executions.data ?? []), [executions.data]);
  const moreError = more.find((q) => q.error)?.error;
  return (
    <section>
      <div className="toolbar">
        <Link className="button" to={`/app/${app}/edit`}>New pipeline</Link>
      </div>
      <ProblemView error={configs.error ?? executions.error ?? moreError} />
      {configs.isPending && <p>Loading…</p>}
      {configs.data?.length === 0 && <p>No pipelines yet.</p>}
      {configs.data?.map((config) => {
        const all = config.id ? more[expanded.indexOf(config.id)]?.data : undefined;
        const runs = all ?? byConfig.get(config.id ?? "") ?? [];
        const canExpand = !!config.id && !expanded.includes(config.id) && runs.length >= PER_PIPELINE;
        return (
          <div className="pipeline" key={config.id ?? config.name} data-pipeline={config.name}>
            <div className="pipeline-header">
              <h3>{config.name}</h3>
              <span className="muted">{config.stages?.length ?? 0} stages</span>
              <Link className="button" to={`/app/${app}/edit/${encodeURIComponent(config.name)}`}>Edit</Link>
              <button onClick={() => setRunning(config)}>Start manual execution</button>
            </div>
            {executions.isPending && !all ? <p className="muted">Loading executions…</p> : <ExecutionRows app={app} executions={runs} />}
            {canExpand && (
              <button className="link" onClick={() => setExpanded([...expanded, config.id!])}>Show up to {EXPANDED_LIMIT} executions</button>
            )}
            {all?.length === EXPANDED_LIMIT && <p className="muted">The latest {EXPANDED_LIMIT} executions.</p>}
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
