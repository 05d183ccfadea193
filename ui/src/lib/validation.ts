import type { Problem } from "../api/client";

/** Where a server validation message points: a stage (by index) and/or a field, as a dotted path (FieldSpec.path). */
export interface FieldProblem {
  stageIndex?: number;
  field?: string;
  message: string;
}

/**
 * The messages of a refused save, placed by the problem's `errors` extension: gate keys it by the JSON path of the
 * field at fault (`stages[2].waitTime`, `parameterConfig[0].name`), as ASP.NET's ValidationProblemDetails does. A
 * path into a stage gives its index and the rest of the path in dotted form (`canaryConfig.scopes.0.step`); a problem
 * without `errors` is one message that names no field.
 */
export function fieldProblems(problem: Problem): FieldProblem[] {
  const errors = Object.entries(problem.errors ?? {});
  if (errors.length === 0) return problem.detail ? [{ message: problem.detail }] : [];
  return errors.flatMap(([path, messages]) => {
    const dotted = path.replace(/\[(\d+)\]/g, ".$1");
    const stage = /^stages\.(\d+)(?:\.(.+))?$/.exec(dotted);
    const at = stage ? { stageIndex: Number(stage[1]), field: stage[2] } : { field: dotted };
    return messages.map((message) => ({ ...at, message }));
  });
}

/**
 * The problems of one form, by the field each belongs to: its own path or a path under it (`judgmentInputs.1` goes to
 * `judgmentInputs`), the deepest field first. What no field takes is `other`, for the form to show on its own.
 */
export function placeProblems(fieldPaths: string[], problems: FieldProblem[]): { byField: Map<string, string[]>; other: FieldProblem[] } {
  const byField = new Map<string, string[]>();
  const other: FieldProblem[] = [];
  const deepestFirst = [...fieldPaths].sort((a, b) => b.length - a.length);
  for (const p of problems) {
    const field = p.field === undefined ? undefined : deepestFirst.find((f) => p.field === f || p.field!.startsWith(`${f}.`));
    if (field === undefined) other.push(p);
    else byField.set(field, [...(byField.get(field) ?? []), p.message]);
  }
  return { byField, other };
}
