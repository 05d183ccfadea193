/** A stage as far as the graph is concerned: Spinnaker's refId and requisiteStageRefIds. */
export interface GraphStage {
  refId: string;
  requisiteStageRefIds?: string[] | null;
}

export interface Placement {
  /** Column: the longest chain of upstream stages before this one. */
  column: number;
  /** Row within the column, in the stages' order. */
  row: number;
}

/**
 * Places a pipeline's stages left to right: each stage one column after its furthest upstream stage,
 * so parallel branches share a column on separate rows and a join sits after all it waits for.
 * Unknown upstream refIds are ignored; a cycle (rejected by the server) does not loop forever.
 */
export function layoutStages(stages: GraphStage[]): Map<string, Placement> {
  const byRef = new Map(stages.map((s) => [s.refId, s]));
  const columns = new Map<string, number>();
  const visiting = new Set<string>();
  const columnOf = (refId: string): number => {
    const known = columns.get(refId);
    if (known !== undefined) return known;
    if (visiting.has(refId)) return 0;
    visiting.add(refId);
    const upstream = (byRef.get(refId)?.requisiteStageRefIds ?? []).filter((r) => byRef.has(r));
    const column = upstream.length === 0 ? 0 : Math.max(...upstream.map(columnOf)) + 1;
    visiting.delete(refId);
    columns.set(refId, column);
    return column;
  };
  const rows = new Map<number, number>();
  const placements = new Map<string, Placement>();
  for (const stage of stages) {
    const column = columnOf(stage.refId);
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    placements.set(stage.refId, { column, row });
  }
  return placements;
}

/** The edges upstream -> downstream, for stages whose upstream exists. */
export function stageEdges(stages: GraphStage[]): { source: string; target: string }[] {
  const refs = new Set(stages.map((s) => s.refId));
  return stages.flatMap((s) => (s.requisiteStageRefIds ?? []).filter((r) => refs.has(r)).map((r) => ({ source: r, target: s.refId })));
}

/** A refId not used yet: one more than the largest numeric one, as Deck does. */
export function nextRefId(stages: GraphStage[]): string {
  const numbers = stages.map((s) => Number.parseInt(s.refId, 10)).filter((n) => Number.isFinite(n));
  return String((numbers.length ? Math.max(...numbers) : 0) + 1);
}
