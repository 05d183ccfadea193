/** How a field is edited. `list`: strings, one per line. `json`: any JSON value. */
export type FieldKind = "text" | "number" | "boolean" | "textarea" | "select" | "list" | "json" | "keyValues";

export interface FieldSpec {
  /** Dotted path in the stage, e.g. `clusters.0.capacity.desired`. */
  path: string;
  label: string;
  kind: FieldKind;
  options?: string[];
  help?: string;
}

const target: FieldSpec[] = [
  { path: "credentials", label: "Account", kind: "text" },
  { path: "cloudProvider", label: "Cloud provider", kind: "text" },
  { path: "cluster", label: "Cluster", kind: "text" },
  { path: "target", label: "Target", kind: "select", options: ["current_asg_dynamic", "ancestor_asg_dynamic", "oldest_asg_dynamic"] },
  { path: "serverGroupName", label: "Server group (instead of a target)", kind: "text" },
];
const capacity = (prefix: string): FieldSpec[] => [
  { path: `${prefix}capacity.min`, label: "Min", kind: "number" },
  { path: `${prefix}capacity.max`, label: "Max", kind: "number" },
  { path: `${prefix}capacity.desired`, label: "Desired", kind: "number" },
];
const cluster = "clusters.0.";

/**
 * The form of each stage type the engine runs (README "What runs"; Orca's and Delivery's stage
 * classes name these fields). Any other field is edited in the stage's JSON.
 */
export const STAGE_TYPES: Record<string, FieldSpec[]> = {
  wait: [
    { path: "waitTime", label: "Wait time (seconds)", kind: "number" },
    { path: "skipWaitText", label: "Text on the skip button", kind: "text" },
  ],
  manualJudgment: [
    { path: "instructions", label: "Instructions", kind: "textarea" },
    { path: "judgmentInputs", label: "Judgment inputs (one per line)", kind: "list" },
    { path: "propagateAuthenticationContext", label: "Propagate authentication", kind: "boolean" },
  ],
  evaluateVariables: [{ path: "variables", label: "Variables", kind: "keyValues" }],
  checkPreconditions: [
    { path: "preconditions", label: "Preconditions (JSON: [{type: expression, context: {expression}, failPipeline}])", kind: "json" },
  ],
  webhook: [
    { path: "url", label: "URL", kind: "text" },
    { path: "method", label: "Method", kind: "select", options: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
    { path: "customHeaders", label: "Headers (JSON object)", kind: "json" },
    { path: "payload", label: "Payload (JSON)", kind: "json" },
    { path: "waitForCompletion", label: "Wait for completion", kind: "boolean" },
    { path: "statusUrlResolution", label: "Status URL", kind: "select", options: ["getMethod", "locationHeader", "webhookResponse"] },
    { path: "statusJsonPath", label: "Status JSON path", kind: "text" },
    { path: "successStatuses", label: "Success statuses", kind: "text" },
  ],
  pipeline: [
    { path: "application", label: "Application", kind: "text" },
    { path: "pipeline", label: "Pipeline (config id)", kind: "text" },
    { path: "pipelineParameters", label: "Parameters (JSON object)", kind: "json" },
    { path: "waitForCompletion", label: "Wait for completion", kind: "boolean" },
  ],
  jenkins: [
    { path: "master", label: "Controller", kind: "text" },
    { path: "job", label: "Job", kind: "text" },
    { path: "parameters", label: "Parameters (JSON object)", kind: "json" },
    { path: "propertyFile", label: "Property file", kind: "text" },
  ],
  deploy: [
    { path: `${cluster}cloudProvider`, label: "Cloud provider", kind: "text" },
    { path: `${cluster}account`, label: "Account", kind: "text" },
    { path: `${cluster}application`, label: "Application", kind: "text" },
    { path: `${cluster}stack`, label: "Stack", kind: "text" },
    { path: `${cluster}freeFormDetails`, label: "Detail", kind: "text" },
    ...capacity(cluster),
    { path: `${cluster}strategy`, label: "Strategy", kind: "select", options: ["", "highlander", "redblack", "none"] },
    { path: `${cluster}maxRemainingAsgs`, label: "Red/black: max remaining server groups", kind: "number" },
    { path: `${cluster}scaleDown`, label: "Red/black: scale down replaced groups", kind: "boolean" },
    { path: `${cluster}loadBalancers`, label: "Load balancers (one per line)", kind: "list" },
    { path: `${cluster}artifact`, label: "Artifact (JSON {command, args})", kind: "json" },
    { path: `${cluster}env`, label: "Environment (JSON object)", kind: "json" },
    { path: `${cluster}healthCheckPath`, label: "Health check path", kind: "text" },
  ],
  resizeServerGroup: [...target, ...capacity("")],
  enableServerGroup: target,
  disableServerGroup: target,
  destroyServerGroup: target,
  rollbackServerGroup: [
    ...target,
    { path: "rollbackContext.rollbackServerGroupName", label: "Roll back server group", kind: "text" },
    { path: "rollbackContext.restoreServerGroupName", label: "Restore server group", kind: "text" },
  ],
};

/** Fields every stage has (Orca's StageDefinition / stage context flags). */
export const COMMON_FIELDS: FieldSpec[] = [
  { path: "name", label: "Name", kind: "text" },
  { path: "stageTimeoutMs", label: "Timeout (ms)", kind: "number" },
  { path: "failPipeline", label: "Fail the pipeline when this stage fails", kind: "boolean" },
  { path: "continuePipeline", label: "Continue the pipeline when this stage fails", kind: "boolean" },
];

/** What a new stage of a type starts with. */
export function newStage(type: string, refId: string, requisiteStageRefIds: string[]): Record<string, unknown> {
  const base: Record<string, unknown> = { refId, type, name: type, requisiteStageRefIds };
  switch (type) {
    case "wait":
      return { ...base, waitTime: 30 };
    case "manualJudgment":
      return { ...base, instructions: "", judgmentInputs: [] };
    case "deploy":
      return { ...base, clusters: [{ cloudProvider: "local", account: "local", capacity: { min: 1, max: 1, desired: 1 }, strategy: "highlander" }] };
    default:
      return base;
  }
}

/** The value at a dotted path (numeric segments index arrays). */
export function getPath(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A copy of `object` with the value at `path` set (undefined removes it), creating objects/arrays on the way. */
export function setPath<T>(object: T, path: string, value: unknown): T {
  const [key, ...rest] = path.split(".");
  const source = (object ?? (/^\d+$/.test(key) ? [] : {})) as Record<string, unknown>;
  const copy = (Array.isArray(source) ? [...source] : { ...source }) as Record<string, unknown>;
  if (rest.length === 0) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  } else {
    const child = copy[key] ?? (/^\d+$/.test(rest[0]) ? [] : {});
    copy[key] = setPath(child, rest.join("."), value);
  }
  return copy as T;
}
