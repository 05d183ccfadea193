import { describe, expect, it } from "vitest";
import { parseValidationDetail } from "./validation";

describe("parseValidationDetail", () => {
  it("splits the validator's sentences and names each one's stage and field", () => {
    const detail =
      "'name': A pipeline name must not be empty. stages[0] (refId '1', name 'wait'): 'waitTime' must be a number of seconds >= 0 (or an expression), not \"soon\". stages[2] (refId '3'): unknown stage type 'nope'. Known types: wait, manualJudgment.";
    const problems = parseValidationDetail(detail);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatchObject({ stageIndex: undefined, field: "name" });
    expect(problems[1]).toMatchObject({ stageIndex: 0, field: "waitTime" });
    expect(problems[1].message).toContain("not \"soon\".");
    expect(problems[2]).toMatchObject({ stageIndex: 2, field: undefined });
    expect(problems[2].message).toContain("Known types: wait, manualJudgment.");
  });

  it("keeps a detail without structure as one message", () => {
    expect(parseValidationDetail("The pipeline is not valid JSON: unexpected end.")).toEqual([
      { stageIndex: undefined, field: undefined, message: "The pipeline is not valid JSON: unexpected end." },
    ]);
  });
});
