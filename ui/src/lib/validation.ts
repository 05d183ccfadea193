/** Where a server validation message points: a stage (by index) and/or a field. */
export interface FieldProblem {
  stageIndex?: number;
  field?: string;
  message: string;
}

/**
 * Splits a pipeline save problem's detail (PipelineValidator joins sentences such as
 * "stages[0] (refId '1', name 'wait'): 'waitTime' must be a number ..." with spaces) into messages
 * that name the stage and field they concern, so the editor can show each next to its field.
 */
export function parseValidationDetail(detail: string): FieldProblem[] {
  // A sentence ends with "." and the next starts as the validator's do: stages[i], parameterConfig[i],
  // a quoted field, "A pipeline" or "The stages" (a capital alone would split "... Known types: ...").
  const sentences = detail.split(/(?<=\.)\s+(?=stages\[|parameterConfig\[|'|A pipeline |The stages )/).filter((s) => s.trim());
  return sentences.map((message) => {
    const stage = /^stages\[(\d+)\]/.exec(message);
    const afterLabel = stage ? message.slice(message.indexOf(": ") + 1) : message;
    const field = /^\s*'([^']+)'/.exec(afterLabel);
    return { stageIndex: stage ? Number(stage[1]) : undefined, field: field?.[1], message };
  });
}
