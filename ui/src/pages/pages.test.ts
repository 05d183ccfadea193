import { afterEach, describe, expect, it, vi } from "vitest";
import type { Execution, ServerGroup } from "../api/client";
import { groupExecutions, recentExecutions } from "./PipelinesPage";
import { groupClusters } from "./ClustersPage";
import { histogram } from "./CanaryReportPage";

const execution = (id: string, config: string | null, startTime: number) =>
  ({ id, name: "p", pipelineConfigId: config, startTime, buildTime: startTime, status: "SUCCEEDED", stages: [], trigger: {} }) as unknown as Execution;

describe("groupExecutions", () => {
  it("groups by pipeline config, newest first", () => {
    const groups = groupExecutions([execution("a", "c1", 1), execution("b", "c1", 3), execution("c", "c2", 2), execution("d", null, 4)]);
    expect(groups.get("c1")!.map((e) => e.id)).toEqual(["b", "a"]);
    expect(groups.get("c2")!.map((e) => e.id)).toEqual(["c"]);
    expect(groups.get("p")!.map((e) => e.id)).toEqual(["d"]);
  });
});

describe("recentExecutions", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks gate for each pipeline's latest executions, at most 100 pipelines a request", async () => {
    const fetch = vi.fn(async (url: string) => new Response(JSON.stringify([execution(url.length.toString(), "c", 1)])));
    vi.stubGlobal("fetch", fetch);
    vi.stubGlobal("localStorage", { getItem: () => null });
    const ids = Array.from({ length: 150 }, (_, i) => `id ${i}`);

    const found = await recentExecutions(ids, 5);

    expect(found).toHaveLength(2);
    const urls = fetch.mock.calls.map(([url]) => url);
    expect(urls[0]).toBe(`/executions?pipelineConfigIds=${ids.slice(0, 100).map(encodeURIComponent).join(",")}&limit=5`);
    expect(urls[1]).toBe(`/executions?pipelineConfigIds=${ids.slice(100).map(encodeURIComponent).join(",")}&limit=5`);
  });
});

describe("groupClusters", () => {
  it("groups server groups per account and cluster, newest first", () => {
    const group = (name: string, account: string, cluster: string, createdTime: number) => ({ name, account, cluster, createdTime }) as ServerGroup;
    const clusters = groupClusters([group("web-v000", "local", "web", 1), group("web-v001", "local", "web", 2), group("web-v000", "k8s", "web", 1)]);
    expect(clusters.map(([key]) => key)).toEqual(["k8s / web", "local / web"]);
    expect(clusters[1][1].map((g) => g.name)).toEqual(["web-v001", "web-v000"]);
  });
});

describe("histogram", () => {
  it("counts both series over one range and skips missing points", () => {
    const rows = histogram([1, 2, null, 10], [10, 10], 3);
    expect(rows).toHaveLength(3);
    expect(rows.reduce((n, r) => n + r.control, 0)).toBe(3);
    expect(rows[2].experiment).toBe(2);
    expect(rows[0].control).toBe(2);
  });

  it("is empty without data", () => {
    expect(histogram([null], [])).toEqual([]);
  });
});
