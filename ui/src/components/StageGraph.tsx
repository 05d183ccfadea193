import { useEffect, useMemo, useState } from "react";
import { Background, Controls, ReactFlow, applyNodeChanges, type Connection, type Edge, type Node } from "@xyflow/react";
import { layoutStages, stageEdges, type GraphStage } from "../lib/graph";

export interface GraphNodeStage extends GraphStage {
  name?: string;
  type?: string;
  status?: string;
}

const COLUMN_WIDTH = 220;
const ROW_HEIGHT = 80;

/** Nodes and edges for React Flow, laid out by {@link layoutStages}. */
export function toFlow(stages: GraphNodeStage[], selected?: string, problems?: Set<string>): { nodes: Node[]; edges: Edge[] } {
  const placements = layoutStages(stages);
  const nodes: Node[] = stages.map((s) => {
    const place = placements.get(s.refId)!;
    const status = s.status?.toLowerCase();
    return {
      id: s.refId,
      position: { x: place.column * COLUMN_WIDTH, y: place.row * ROW_HEIGHT },
      data: { label: `${s.name ?? s.type ?? s.refId}${s.status ? `\n${s.status}` : ""}` },
      className: [
        "stage-node",
        status ? `status-${status}` : "",
        selected === s.refId ? "selected-stage" : "",
        problems?.has(s.refId) ? "has-problem" : "",
      ].join(" "),
      sourcePosition: "right" as Node["sourcePosition"],
      targetPosition: "left" as Node["targetPosition"],
    };
  });
  const edges: Edge[] = stageEdges(stages).map((e) => ({
    id: `${e.source}->${e.target}`,
    ...e,
    animated: stages.find((s) => s.refId === e.target)?.status === "RUNNING",
  }));
  return { nodes, edges };
}

/**
 * The stage DAG. Read-only for an execution; with `onConnect` / `onDeleteEdge` it is the editor's
 * canvas: drag from a stage's right handle to another's left to make it depend on it, click an edge
 * to remove that dependency.
 */
export function StageGraph({
  stages,
  selected,
  onSelect,
  problems,
  onConnect,
  onDeleteEdge,
  height = 320,
}: {
  stages: GraphNodeStage[];
  selected?: string;
  onSelect?: (refId: string) => void;
  problems?: Set<string>;
  onConnect?: (source: string, target: string) => void;
  onDeleteEdge?: (source: string, target: string) => void;
  height?: number;
}) {
  const flow = useMemo(() => toFlow(stages, selected, problems), [stages, selected, problems]);
  // React Flow keeps a node's measured size on the node object; new objects for the same stages (a
  // live update, a save) must carry it over, or edges wait for a resize that never comes.
  const [nodes, setNodes] = useState(flow.nodes);
  useEffect(
    () => setNodes((current) => {
      const measured = new Map(current.map((n) => [n.id, n.measured]));
      return flow.nodes.map((n) => ({ ...n, measured: measured.get(n.id) }));
    }),
    [flow.nodes],
  );
  const edges = flow.edges;
  const editable = !!onConnect;
  return (
    <div className="stage-graph" style={{ height }} data-testid="stage-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        onNodesChange={(changes) => setNodes((current) => applyNodeChanges(changes, current))}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={editable}
        elementsSelectable={false}
        deleteKeyCode={null}
        onNodeClick={(_, node) => onSelect?.(node.id)}
        onConnect={(c: Connection) => c.source && c.target && c.source !== c.target && onConnect?.(c.source, c.target)}
        onEdgeClick={(_, edge) => onDeleteEdge?.(edge.source, edge.target)}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
