import { describe, expect, it } from "vitest";
import { layoutStages, nextRefId, stageEdges } from "./graph";

describe("layoutStages", () => {
  it("puts parallel branches in one column on separate rows and a join after both", () => {
    const placements = layoutStages([
      { refId: "1" },
      { refId: "2", requisiteStageRefIds: ["1"] },
      { refId: "3", requisiteStageRefIds: ["1"] },
      { refId: "4", requisiteStageRefIds: ["2", "3"] },
    ]);
    expect(placements.get("1")).toEqual({ column: 0, row: 0 });
    expect(placements.get("2")).toEqual({ column: 1, row: 0 });
    expect(placements.get("3")).toEqual({ column: 1, row: 1 });
    expect(placements.get("4")).toEqual({ column: 2, row: 0 });
  });

  it("places a join after its longest upstream chain", () => {
    const placements = layoutStages([
      { refId: "a" },
      { refId: "b", requisiteStageRefIds: ["a"] },
      { refId: "c", requisiteStageRefIds: ["b"] },
      { refId: "d", requisiteStageRefIds: ["a", "c"] },
    ]);
    expect(placements.get("d")?.column).toBe(3);
  });

  it("ignores unknown upstream stages and survives a cycle", () => {
    const placements = layoutStages([
      { refId: "1", requisiteStageRefIds: ["missing"] },
      { refId: "2", requisiteStageRefIds: ["3"] },
      { refId: "3", requisiteStageRefIds: ["2"] },
    ]);
    expect(placements.get("1")?.column).toBe(0);
    expect(placements.size).toBe(3);
  });

  it("lays out 500 stages quickly enough to stay interactive", () => {
    const stages = Array.from({ length: 500 }, (_, i) => ({ refId: String(i + 1), requisiteStageRefIds: i ? [String(i)] : [] }));
    expect(layoutStages(stages).get("500")?.column).toBe(499);
  });
});

describe("stageEdges and nextRefId", () => {
  it("draws an edge per known upstream stage", () => {
    expect(stageEdges([{ refId: "1" }, { refId: "2", requisiteStageRefIds: ["1", "9"] }])).toEqual([{ source: "1", target: "2" }]);
  });

  it("numbers a new stage after the largest numeric refId", () => {
    expect(nextRefId([{ refId: "1" }, { refId: "7" }, { refId: "deploy" }])).toBe("8");
    expect(nextRefId([])).toBe("1");
  });
});
