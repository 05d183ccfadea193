import { describe, expect, it } from "vitest";
import { elapsed, formatDuration, isComplete, stageErrors } from "./format";

describe("format", () => {
  it("formats durations as people read them", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_400)).toBe("12s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(2 * 3600_000 + 4 * 60_000)).toBe("2h 04m");
    expect(elapsed(1000, undefined, 3000)).toBe("2s");
    expect(elapsed(undefined, 5)).toBe("");
  });

  it("knows which statuses are final", () => {
    expect(isComplete("SUCCEEDED")).toBe(true);
    expect(isComplete("RUNNING")).toBe(false);
    expect(isComplete("PAUSED")).toBe(false);
  });

  it("collects a stage's errors from wherever its tasks put them, once each", () => {
    expect(stageErrors({ exception: { details: { errors: ["a", "b"], error: "a" } }, error: "c" })).toEqual(["a", "b", "c"]);
    expect(stageErrors({})).toEqual([]);
  });
});
