import { useEffect, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, gate, type PipelineConfig } from "../api/client";
import { JsonEditor, ProblemView } from "../components/common";
import { StageGraph } from "../components/StageGraph";
import { StageForm } from "../components/StageForm";
import { RunDialog } from "../components/RunDialog";
import { ParametersEditor, ObjectListEditor } from "../components/ListEditors";
import { nextRefId } from "../lib/graph";
import { COMMON_FIELDS, STAGE_TYPES, newStage } from "../lib/stageTypes";
import { fieldProblems, placeProblems, type FieldProblem } from "../lib/validation";

type Stage = Record<string, unknown> & { refId: string; type?: string; name?: string; requisiteStageRefIds?: string[] };
type Config = Record<string, unknown> & { name: string; application: string; stages: Stage[] };

const TABS = ["Stages", "Triggers", "Parameters", "Notifications", "JSON"] as const;
/** Stage types offered when adding; any other type can be typed into the stage's JSON. */
const ADDABLE = Object.keys(STAGE_TYPES);

export function PipelineEditorPage() {
  const { app, name } = useParams() as { app: string; name?: string };
  const existing = useQuery({ queryKey: ["pipelineConfig", app, name], queryFn: () => gate.pipelineConfig(app, name!), enabled: !!name });
  const [config, setConfig] = useState<Config>();
  useEffect(() => {
    if (!name) setConfig({ application: app, name: "", stages: [], triggers: [], parameterConfig: [], notifications: [] } as Config);
    else if (existing.data) setConfig(existing.data as unknown as Config);
  }, [app, name, existing.data]);
  if (existing.error) return <ProblemView error={existing.error} />;
  if (!config) return <p>Loading…</p>;
  return <Editor app={app} config={config} setConfig={setConfig} isNew={!name} />;
}

function Editor({ app, config, setConfig, isNew }: { app: string; config: Config; setConfig: (c: Config) => void; isNew: boolean }) {
  const [tab, setTab] = useState<(typeof TABS)[number]>("Stages");
  const [selected, setSelected] = useState<string | undefined>(config.stages[0]?.refId);
  const [addType, setAddType] = useState("wait");
  const [running, setRunning] = useState<PipelineConfig>();
  const client = useQueryClient();
  const navigate = useNavigate();
  const save = useMutation({
    mutationFn: () => gate.savePipeline(config),
    onSuccess: (saved) => {
      // The saved config is what the editor shows from now on (and what the route's query holds).
      client.setQueryData(["pipelineConfig", app, saved.name], saved);
      setConfig(saved as unknown as Config);
      void client.invalidateQueries({ queryKey: ["pipelineConfigs", app] });
      if (isNew) navigate(`/app/${app}/edit/${encodeURIComponent(saved.name)}`, { replace: true });
    },
  });
  const problems = useMemo<FieldProblem[]>(
    () => (save.error instanceof ApiError ? fieldProblems(save.error.problem) : []),
    [save.error],
  );
  const stages = config.stages ?? [];
  const setStages = (next: Stage[]) => setConfig({ ...config, stages: next });
  const stage = stages.find((s) => s.refId === selected);
  const stageIndex = stage ? stages.indexOf(stage) : -1;
  const stageFields = [...COMMON_FIELDS, ...(STAGE_TYPES[String(stage?.type)] ?? [])].map((f) => f.path);
  const stageProblems = placeProblems(stageFields, problems.filter((p) => p.stageIndex === stageIndex));
  const stagesWithProblems = new Set(problems.filter((p) => p.stageIndex !== undefined).map((p) => stages[p.stageIndex!]?.refId));
  const topProblems = problems.filter((p) => p.stageIndex === undefined);
  const nameProblems = topProblems.filter((p) => p.field === "name");

  const addStage = () => {
    const refId = nextRefId(stages);
    setStages([...stages, newStage(addType, refId, selected ? [selected] : []) as Stage]);
    setSelected(refId);
  };
  const removeStage = (refId: string) => {
    setStages(
      stages
        .filter((s) => s.refId !== refId)
        .map((s) => ({ ...s, requisiteStageRefIds: (s.requisiteStageRefIds ?? []).filter((r) => r !== refId) })),
    );
    if (selected === refId) setSelected(undefined);
  };
  const connect = (source: string, target: string) =>
    setStages(stages.map((s) => (s.refId === target ? { ...s, requisiteStageRefIds: [...new Set([...(s.requisiteStageRefIds ?? []), source])] } : s)));
  const disconnect = (source: string, target: string) =>
    setStages(stages.map((s) => (s.refId === target ? { ...s, requisiteStageRefIds: (s.requisiteStageRefIds ?? []).filter((r) => r !== source) } : s)));
  const updateStage = (next: Stage) => setStages(stages.map((s) => (s.refId === selected ? next : s)));

  return (
    <section className="editor">
      <div className="toolbar">
        <label className={`field inline${nameProblems.length ? " invalid" : ""}`}>
          <span>Pipeline name</span>
          <input aria-label="Pipeline name" value={config.name} readOnly={!isNew} onChange={(e) => setConfig({ ...config, name: e.target.value })} />
          {nameProblems.map((p) => <span key={p.message} className="field-error">{p.message}</span>)}
        </label>
        <button onClick={() => save.mutate()} disabled={save.isPending}>Save</button>
        {!isNew && <button onClick={() => setRunning(config as unknown as PipelineConfig)}>Run</button>}
        {save.isSuccess && save.data === (config as unknown) && <span className="saved">Saved</span>}
      </div>
      {save.error && (
        <div className="problem" role="alert">
          <strong>Not saved</strong>
          <div className="problem-detail">{save.error.message}</div>
          {problems.some((p) => p.stageIndex !== undefined) && <div className="muted">Stages with problems are outlined in the graph; each message is under its field.</div>}
        </div>
      )}
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? "active" : ""} onClick={() => setTab(t)}>{t}</button>
        ))}
      </div>
      {tab === "Stages" && (
        <>
          <div className="toolbar">
            <select aria-label="Stage type" value={addType} onChange={(e) => setAddType(e.target.value)}>
              {ADDABLE.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
            <button onClick={addStage}>Add stage</button>
            <span className="muted">New stages follow the selected one; drag from a stage's right edge to another to connect them, click a connection to remove it.</span>
          </div>
          <StageGraph
            stages={stages}
            selected={selected}
            onSelect={setSelected}
            problems={stagesWithProblems}
            onConnect={connect}
            onDeleteEdge={disconnect}
            height={260}
          />
          {stage && (
            <div className="stage-editor" data-stage={stage.refId}>
              <div className="toolbar">
                <h4>Stage {stage.refId}: {stage.type}</h4>
                <button className="danger" onClick={() => removeStage(stage.refId)}>Remove stage</button>
              </div>
              {stageProblems.other.map((p) => <div key={p.message} className="field-error" data-problem={p.field ?? ""}>{p.message}</div>)}
              <StageForm stage={stage} onChange={(s) => updateStage(s as Stage)} problems={stageProblems.byField} />
              <details>
                <summary>Stage JSON</summary>
                <JsonEditor label="Stage JSON" value={stage} onChange={(v) => v && typeof v === "object" && updateStage(v as Stage)} rows={14} />
              </details>
            </div>
          )}
        </>
      )}
      {tab === "Triggers" && (
        <ObjectListEditor
          label="Trigger"
          items={(config.triggers as Record<string, unknown>[]) ?? []}
          onChange={(triggers) => setConfig({ ...config, triggers })}
          template={{ type: "webhook", enabled: true, source: "" }}
        />
      )}
      {tab === "Parameters" && (
        <ParametersEditor items={(config.parameterConfig as Record<string, unknown>[]) ?? []} onChange={(parameterConfig) => setConfig({ ...config, parameterConfig })} problems={topProblems} />
      )}
      {tab === "Notifications" && (
        <ObjectListEditor
          label="Notification"
          items={(config.notifications as Record<string, unknown>[]) ?? []}
          onChange={(notifications) => setConfig({ ...config, notifications })}
          template={{ type: "email", address: "", when: ["pipeline.complete", "pipeline.failed"] }}
        />
      )}
      {tab === "JSON" && (
        <JsonEditor label="Pipeline JSON" value={config} onChange={(v) => v && typeof v === "object" && setConfig(v as Config)} rows={30} />
      )}
      {running && (
        <RunDialog app={app} config={running} onClose={() => setRunning(undefined)} onStarted={(id) => navigate(`/app/${app}/executions/${id}`)} />
      )}
    </section>
  );
}
