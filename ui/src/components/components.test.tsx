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
});
