// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { ApiError, api, parseProblem } from "../api/client";
import { ProblemView } from "./common";
import { StageForm } from "./StageForm";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("api", () => {
  it("rejects with the server's problem+json", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ title: "Not Found", status: 404, detail: "Execution 'x' was not found." }), { status: 404 })));
    const error = await api("GET", "/pipelines/x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem.detail).toBe("Execution 'x' was not found.");
  });

  it("describes a response that is not a problem", () => {
    expect(parseProblem(502, "Bad Gateway", "<html>", "GET /x")).toMatchObject({ status: 502, title: "Bad Gateway", detail: "GET /x answered 502: <html>" });
  });
});

describe("ProblemView", () => {
  it("shows a problem's title, status and detail", () => {
    render(<ProblemView error={new ApiError({ title: "Conflict", status: 409, detail: "The execution is not running." })} />);
    expect(screen.getByRole("alert").textContent).toContain("Conflict (409)");
    expect(screen.getByRole("alert").textContent).toContain("The execution is not running.");
  });
});

describe("StageForm", () => {
  it("edits a wait stage's fields and shows the server's message next to the field", () => {
    const onChange = vi.fn();
    render(<StageForm stage={{ refId: "1", type: "wait", waitTime: 5 }} onChange={onChange} problems={new Map([["waitTime", ["'waitTime' must be a number"]]])} />);
    const input = screen.getByLabelText("Wait time (seconds)") as HTMLInputElement;
    expect(input.value).toBe("5");
    expect(input.closest("label")!.textContent).toContain("'waitTime' must be a number");
    fireEvent.change(input, { target: { value: "12" } });
    expect(onChange).toHaveBeenCalledWith({ refId: "1", type: "wait", waitTime: 12 });
    fireEvent.change(input, { target: { value: "${trigger.parameters.delay}" } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: "1", type: "wait", waitTime: "${trigger.parameters.delay}" });
  });

  it("edits a deploy stage's strategy in its first cluster", () => {
    const onChange = vi.fn();
    render(<StageForm stage={{ refId: "1", type: "deploy", clusters: [{ account: "local" }] }} onChange={onChange} problems={new Map()} />);
    fireEvent.change(screen.getByLabelText("Strategy"), { target: { value: "redblack" } });
    expect(onChange).toHaveBeenCalledWith({ refId: "1", type: "deploy", clusters: [{ account: "local", strategy: "redblack" }] });
  });

  it("sends a deployManifest stage's YAML as JSON manifests, and keeps text that does not read", () => {
    const onChange = vi.fn();
    render(<StageForm stage={{ refId: "1", type: "deployManifest", account: "k8s", manifests: [] }} onChange={onChange} problems={new Map()} />);
    const editor = screen.getByLabelText(/^Manifests/) as HTMLTextAreaElement;
    fireEvent.change(editor, { target: { value: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n" } });
    expect(onChange).toHaveBeenLastCalledWith({
      refId: "1", type: "deployManifest", account: "k8s",
      manifests: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { color: "blue" } }],
    });
    onChange.mockClear();
    fireEvent.change(editor, { target: { value: "apiVersion: v1\nkind: ConfigMap\n" } });
    expect(onChange).not.toHaveBeenCalled();
    expect(editor.value).toBe("apiVersion: v1\nkind: ConfigMap\n");
    expect(editor.closest("label")!.textContent).toContain("Document 1: 'metadata.name' is required for the ConfigMap.");
    fireEvent.change(screen.getByLabelText("Namespace override"), { target: { value: "staging" } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ namespaceOverride: "staging" }));
    fireEvent.change(screen.getByLabelText("Moniker cluster"), { target: { value: "web" } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ moniker: { cluster: "web" } }));
    // enableTraffic is true when absent (clouddriver's TrafficOptions): shown checked, written only when turned off.
    const enableTraffic = screen.getByLabelText("Send traffic to the new version") as HTMLInputElement;
    expect(enableTraffic.checked).toBe(true);
    fireEvent.click(enableTraffic);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ trafficManagement: { options: { enableTraffic: false } } }));
  });

  it("edits a kayentaCanary stage's canaryConfig and deployments where canary-judge reads them", () => {
    const onChange = vi.fn();
    const stage = { refId: "1", type: "kayentaCanary", canaryConfig: { lifetimeDuration: "PT1H", scoreThresholds: { marginal: 75, pass: 95 } } };
    render(<StageForm stage={stage} onChange={onChange} problems={new Map([["canaryConfig.scoreThresholds.pass", ["must be 0..100"]]])} />);
    expect(screen.getByLabelText("Pass score (0-100)").closest("label")!.textContent).toContain("must be 0..100");
    fireEvent.change(screen.getByLabelText("Interval (minutes)"), { target: { value: "15" } });
    expect(onChange).toHaveBeenLastCalledWith({ ...stage, canaryConfig: { ...stage.canaryConfig, canaryAnalysisIntervalMins: 15 } });
    fireEvent.change(screen.getByLabelText("Control scope"), { target: { value: "web-baseline" } });
    expect(onChange).toHaveBeenLastCalledWith({ ...stage, canaryConfig: { ...stage.canaryConfig, scopes: [{ controlScope: "web-baseline" }] } });
    fireEvent.change(screen.getByLabelText("Baseline cluster (production)"), { target: { value: "web-prod" } });
    expect(onChange).toHaveBeenLastCalledWith({ ...stage, deployments: { baseline: { cluster: "web-prod" } } });
  });
});
