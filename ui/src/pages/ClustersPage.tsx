import { useMemo, useState } from "react";
import { useParams } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { gate, type LoadBalancer, type ServerGroup } from "../api/client";
import { Confirm, Modal, ProblemView } from "../components/common";
import { formatTime } from "../lib/format";

/** Server groups by "account / cluster", each cluster's newest group first (Deck's cluster pod). */
export function groupClusters(groups: ServerGroup[]): [string, ServerGroup[]][] {
  const byCluster = new Map<string, ServerGroup[]>();
  for (const g of groups) {
    const key = `${g.account} / ${g.cluster}`;
    byCluster.set(key, [...(byCluster.get(key) ?? []), g]);
  }
  for (const list of byCluster.values()) list.sort((a, b) => b.createdTime - a.createdTime);
  return [...byCluster.entries()].sort(([a], [b]) => a.localeCompare(b));
}

type Action = { kind: "resize" | "enable" | "disable" | "destroy" | "rollback"; group: ServerGroup };

export function ClustersPage() {
  const app = useParams().app!;
  const client = useQueryClient();
  const serverGroups = useQuery({ queryKey: ["serverGroups", app], queryFn: () => gate.serverGroups(app), refetchInterval: 5_000 });
  const loadBalancers = useQuery({ queryKey: ["loadBalancers", app], queryFn: () => gate.loadBalancers(app), refetchInterval: 5_000 });
  const clusters = useMemo(() => groupClusters(serverGroups.data ?? []), [serverGroups.data]);
  const [action, setAction] = useState<Action>();
  const done = () => {
    setAction(undefined);
    void client.invalidateQueries({ queryKey: ["serverGroups", app] });
    void client.invalidateQueries({ queryKey: ["loadBalancers", app] });
  };
  return (
    <section className="clusters">
      <ProblemView error={serverGroups.error ?? loadBalancers.error} />
      {serverGroups.isPending && <p>Loading…</p>}
      {serverGroups.data?.length === 0 && <p>No server groups. Deploy one with a pipeline's deploy stage.</p>}
      {clusters.map(([name, groups]) => (
        <div className="cluster" key={name} data-cluster={name}>
          <h3>{name}</h3>
          <table className="list">
            <thead>
              <tr><th>Server group</th><th>State</th><th>Capacity</th><th>Instances</th><th>Artifact</th><th>Load balancers</th><th>Created</th><th /></tr>
            </thead>
            <tbody>
              {groups.map((g, i) => (
                <ServerGroupRow key={g.name} group={g} canRollback={!g.disabled && groups.slice(i + 1).length > 0} onAction={(kind) => setAction({ kind, group: g })} />
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <LoadBalancers items={loadBalancers.data ?? []} />
      {action && <ActionDialog action={action} groups={serverGroups.data ?? []} onDone={done} />}
    </section>
  );
}

function ServerGroupRow({ group: g, canRollback, onAction }: { group: ServerGroup; canRollback: boolean; onAction: (kind: Action["kind"]) => void }) {
  const up = g.instances.filter((i) => i.health === "Up").length;
  return (
    <tr data-server-group={g.name}>
      <td>{g.name}</td>
      <td>{g.disabled ? <span className="status status-disabled">disabled</span> : <span className="status status-succeeded">enabled</span>}</td>
      <td>{g.capacity.min}/{g.capacity.desired}/{g.capacity.max}</td>
      <td>
        <span title={g.instances.map((i) => `${i.name}: ${i.health}`).join("\n")}>
          {up}/{g.instances.length} up
          {g.instances.map((i) => <span key={i.id} className={`dot health-${i.health.toLowerCase()}`} />)}
        </span>
      </td>
      <td className="muted">{g.artifact ? [g.artifact.command, ...(g.artifact.args ?? [])].join(" ") : ""}{g.env?.VERSION ? ` (VERSION=${g.env.VERSION})` : ""}</td>
      <td>{g.loadBalancers.join(", ")}</td>
      <td className="muted">{formatTime(g.createdTime)}</td>
      <td className="buttons">
        <button onClick={() => onAction("resize")}>Resize</button>
        {g.disabled ? <button onClick={() => onAction("enable")}>Enable</button> : <button onClick={() => onAction("disable")}>Disable</button>}
        {canRollback && <button onClick={() => onAction("rollback")}>Rollback</button>}
        <button className="danger" onClick={() => onAction("destroy")}>Destroy</button>
      </td>
    </tr>
  );
}

function ActionDialog({ action, groups, onDone }: { action: Action; groups: ServerGroup[]; onDone: () => void }) {
  const g = action.group;
  const target = { account: g.account, serverGroupName: g.name };
  if (action.kind === "resize") return <ResizeDialog group={g} onDone={onDone} />;
  if (action.kind === "rollback") {
    // As rollbackServerGroup: enable the newest older group of the cluster, then disable this one.
    const restore = groups
      .filter((o) => o.account === g.account && o.cluster === g.cluster && o.createdTime < g.createdTime)
      .sort((a, b) => b.createdTime - a.createdTime)[0];
    return (
      <Confirm
        title={`Roll back ${g.name}`}
        message={restore ? `Enable ${restore.name} and disable ${g.name}?` : "No older server group to restore."}
        action={async () => {
          if (!restore) return;
          if (restore.capacity.desired === 0) await gate.operation("resizeServerGroup", { account: g.account, serverGroupName: restore.name, capacity: g.capacity });
          await gate.operation("enableServerGroup", { account: g.account, serverGroupName: restore.name });
          await gate.operation("disableServerGroup", target);
        }}
        onDone={onDone}
      />
    );
  }
  const verb = action.kind;
  return (
    <Confirm
      title={`${verb[0].toUpperCase()}${verb.slice(1)} ${g.name}`}
      message={verb === "destroy" ? `Destroy ${g.name} and its ${g.instances.length} instances? This cannot be undone.` : `${verb} ${g.name}?`}
      action={() => gate.operation(`${verb}ServerGroup`, target)}
      onDone={onDone}
    />
  );
}

function ResizeDialog({ group, onDone }: { group: ServerGroup; onDone: () => void }) {
  const [capacity, setCapacity] = useState({ ...group.capacity });
  const [error, setError] = useState<unknown>();
  const field = (key: "min" | "desired" | "max") => (
    <label className="field">
      <span>{key}</span>
      <input type="number" min={0} aria-label={key} value={capacity[key]} onChange={(e) => setCapacity({ ...capacity, [key]: Number(e.target.value) })} />
    </label>
  );
  return (
    <Modal title={`Resize ${group.name}`} onClose={onDone}>
      {field("min")}
      {field("desired")}
      {field("max")}
      <ProblemView error={error} />
      <div className="buttons">
        <button
          onClick={async () => {
            try {
              await gate.operation("resizeServerGroup", { account: group.account, serverGroupName: group.name, capacity });
              onDone();
            } catch (e) {
              setError(e);
            }
          }}
        >
          Resize
        </button>
        <button onClick={onDone}>Cancel</button>
      </div>
    </Modal>
  );
}

function LoadBalancers({ items }: { items: LoadBalancer[] }) {
  if (items.length === 0) return null;
  return (
    <div className="cluster">
      <h3>Load balancers</h3>
      <table className="list">
        <tbody>
          {items.map((lb) => (
            <tr key={`${lb.account}/${lb.name}`}>
              <td>{lb.name}</td>
              <td>{lb.account}</td>
              <td>{lb.url && <a href={lb.url}>{lb.url}</a>}</td>
              <td>{lb.serverGroups.map((g) => `${g.name} ${g.trafficPercent}%${g.disabled ? " (disabled)" : ""}`).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
