import { describe, expect, it } from "vitest";
import { fieldProblems, placeProblems } from "./validation";

describe("fieldProblems", () => {
  it("places each message by the JSON path gate gives, not by its text", () => {
    const problems = fieldProblems({
      detail: "stages[0] (refId '1'): 'waitTime' must be a number. ...",
      errors: {
        name: ["'name': A pipeline name must not be empty."],
        "stages[0].waitTime": ["'waitTime' must be a number of seconds >= 0 (or an expression), not \"soon\"."],
        "stages[12].canaryConfig.scopes[0].step": ["must be 0..86400 seconds"],
        "stages[2]": ["stages[2] must be an object."],
        "parameterConfig[1].name": ["'name' is required and must be a non-empty string."],
      },
    });
    expect(problems).toEqual([
      { field: "name", message: "'name': A pipeline name must not be empty." },
      { stageIndex: 0, field: "waitTime", message: "'waitTime' must be a number of seconds >= 0 (or an expression), not \"soon\"." },
      { stageIndex: 12, field: "canaryConfig.scopes.0.step", message: "must be 0..86400 seconds" },
      { stageIndex: 2, field: undefined, message: "stages[2] must be an object." },
      { field: "parameterConfig.1.name", message: "'name' is required and must be a non-empty string." },
    ]);
  });

  it("keeps a problem without errors as one message that names no field", () => {
    expect(fieldProblems({ detail: "The pipeline is not valid JSON: unexpected end." })).toEqual([{ message: "The pipeline is not valid JSON: unexpected end." }]);
    expect(fieldProblems({ title: "Bad Request" })).toEqual([]);
  });
});

describe("placeProblems", () => {
  it("gives a message to its field or the field above it, and keeps the rest apart", () => {
    const { byField, other } = placeProblems(["name", "judgmentInputs", "clusters.0.capacity.desired", "clusters.0.capacity"], [
      { stageIndex: 1, field: "judgmentInputs.1", message: "judgmentInputs[1] must be a string" },
      { stageIndex: 1, field: "clusters.0.capacity.desired", message: "too many" },
      { stageIndex: 1, field: "requisiteStageRefIds", message: "names 'ghost'" },
      { stageIndex: 1, message: "must be an object" },
    ]);
    expect(Object.fromEntries(byField)).toEqual({ judgmentInputs: ["judgmentInputs[1] must be a string"], "clusters.0.capacity.desired": ["too many"] });
    expect(other.map((p) => p.message)).toEqual(["names 'ghost'", "must be an object"]);
  });
});
