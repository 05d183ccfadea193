import { describe, expect, it } from "vitest";
import { STAGE_TYPES, getPath, newStage, setPath } from "./stageTypes";

describe("stage fields", () => {
  it("reads and writes nested paths without touching the original", () => {
    const stage = { type: "deploy", clusters: [{ account: "local", capacity: { min: 1 } }] };
    const changed = setPath(stage, "clusters.0.capacity.desired", 3);
    expect(getPath(changed, "clusters.0.capacity.desired")).toBe(3);
    expect(getPath(changed, "clusters.0.account")).toBe("local");
    expect(getPath(stage, "clusters.0.capacity.desired")).toBeUndefined();
    expect(Array.isArray(changed.clusters)).toBe(true);
  });

  it("creates arrays for numeric segments and removes undefined values", () => {
    expect(setPath({}, "clusters.0.strategy", "redblack")).toEqual({ clusters: [{ strategy: "redblack" }] });
    expect(setPath({ waitTime: 3 }, "waitTime", undefined)).toEqual({});
  });

  it("removes the objects a cleared field leaves empty, so an emptied deployments block is gone", () => {
    expect(setPath({ type: "kayentaCanary", deployments: { baseline: { cluster: "web" } } }, "deployments.baseline.cluster", undefined)).toEqual({ type: "kayentaCanary" });
    expect(setPath({ deployments: { baseline: { cluster: "web" }, loadBalancer: "lb" } }, "deployments.baseline.cluster", undefined)).toEqual({ deployments: { loadBalancer: "lb" } });
  });

  it("has a form for every stage type the brief names", () => {
    for (const type of ["wait", "manualJudgment", "evaluateVariables", "checkPreconditions", "webhook", "pipeline", "jenkins", "deploy",
      "resizeServerGroup", "enableServerGroup", "disableServerGroup", "destroyServerGroup", "rollbackServerGroup", "deployManifest", "kayentaCanary"]) {
      expect(STAGE_TYPES[type]?.length, type).toBeGreaterThan(0);
    }
  });

  it("starts a new stage after the given ones", () => {
    expect(newStage("wait", "3", ["2"])).toEqual({ refId: "3", type: "wait", name: "wait", requisiteStageRefIds: ["2"], waitTime: 30 });
  });
});
