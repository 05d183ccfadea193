/**
 * How a field is edited. `list`: strings, one per line. `json`: any JSON value. `manifests`: Kubernetes manifests
 * written as YAML (or JSON) documents, held as a JSON array.
 */
export type FieldKind = "text" | "number" | "boolean" | "textarea" | "select" | "list" | "json" | "keyValues" | "manifests";

export interface FieldSpec {
  /** Dotted path in the stage, e.g. `clusters.0.capacity.desired`. */
  path: string;
  label: string;
  kind: FieldKind;
  options?: string[];
  help?: string;
  /** A heading shown above the field when it differs from the previous field's. */
  section?: string;
  /** What the server takes when the field is absent (a boolean here): shown, and never written out. */
  default?: boolean;
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
const section = (name: string, fields: FieldSpec[]): FieldSpec[] => fields.map((f) => ({ ...f, section: name }));
const canary = "canaryConfig.";
const scope = `${canary}scopes.0.`;
const deployments = "deployments.";

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
  // Clouddriver's kubernetes provider (DeployManifestTask): inline manifests, sent as JSON.
  deployManifest: [
    { path: "account", label: "Account", kind: "text", help: "A kubernetes account of clouddriver." },
    { path: "namespaceOverride", label: "Namespace override", kind: "text", help: "Deploys every manifest to this namespace instead of its own." },
    { path: "manifests", label: "Manifests (YAML or JSON; documents separated by ---)", kind: "manifests" },
    ...section("Moniker", [
      { path: "moniker.app", label: "Moniker app", kind: "text", help: "Defaults to the pipeline's application." },
      { path: "moniker.cluster", label: "Moniker cluster", kind: "text" },
      { path: "moniker.stack", label: "Moniker stack", kind: "text" },
      { path: "moniker.detail", label: "Moniker detail", kind: "text" },
    ]),
    ...section("Traffic management (ReplicaSets behind Services)", [
      { path: "trafficManagement.enabled", label: "Manage traffic", kind: "boolean" },
      { path: "trafficManagement.options.enableTraffic", label: "Send traffic to the new version", kind: "boolean", default: true },
      { path: "trafficManagement.options.services", label: "Services (one per line, e.g. service web)", kind: "list" },
      { path: "trafficManagement.options.strategy", label: "Rollout strategy", kind: "select", options: ["", "highlander", "redblack", "none"] },
    ]),
  ],
  // Canary-judge's kayentaCanary (CanaryAnalysisSettings, CanaryDeployments; Orca's KayentaCanaryContext).
  kayentaCanary: [
    ...section("Analysis", [
      { path: `${canary}canaryConfigId`, label: "Canary config id", kind: "text", help: "A stored canary config; an inline one goes in the stage JSON as canaryConfig.config." },
      { path: `${canary}lifetimeDuration`, label: "Lifetime (ISO-8601, e.g. PT1H30M)", kind: "text" },
      { path: `${canary}canaryAnalysisIntervalMins`, label: "Interval (minutes)", kind: "number", help: "Each interval is judged; defaults to the lifetime." },
      { path: `${canary}beginCanaryAnalysisAfterMins`, label: "Warm-up (minutes)", kind: "number" },
      { path: `${canary}lookbackMins`, label: "Lookback (minutes)", kind: "number", help: "0: every interval is judged from the analysis start." },
      { path: `${canary}scoreThresholds.marginal`, label: "Marginal score (0-100)", kind: "number" },
      { path: `${canary}scoreThresholds.pass`, label: "Pass score (0-100)", kind: "number" },
    ]),
    ...section("Scope (further scopes in the stage JSON)", [
      { path: `${scope}scopeName`, label: "Scope name", kind: "text" },
      { path: `${scope}controlScope`, label: "Control scope", kind: "text", help: "Filled in from the deployed baseline when left empty." },
      { path: `${scope}controlLocation`, label: "Control location", kind: "text" },
      { path: `${scope}experimentScope`, label: "Experiment scope", kind: "text", help: "Filled in from the deployed canary when left empty." },
      { path: `${scope}experimentLocation`, label: "Experiment location", kind: "text" },
      { path: `${scope}step`, label: "Step (seconds)", kind: "number" },
    ]),
    ...section("Deployments (leave empty to judge the scopes above)", [
      { path: `${deployments}baseline.account`, label: "Baseline account", kind: "text" },
      { path: `${deployments}baseline.cluster`, label: "Baseline cluster (production)", kind: "text" },
      { path: `${deployments}canary`, label: "Canary (JSON {artifact, env, healthCheckPath})", kind: "json" },
      ...capacity(deployments),
      { path: `${deployments}trafficPercent`, label: "Traffic to each of baseline and canary (%)", kind: "number" },
      { path: `${deployments}loadBalancer`, label: "Production load balancer", kind: "text" },
    ]),
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
    case "deployManifest":
      return { ...base, cloudProvider: "kubernetes", source: "text", manifests: [] };
    case "kayentaCanary":
      return { ...base, canaryConfig: { lifetimeDuration: "PT1H", scoreThresholds: { marginal: 75, pass: 95 } } };
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

/**
 * A copy of `object` with the value at `path` set, creating objects/arrays on the way. Undefined removes the value,
 * and an object left empty by that goes too: a stage with `deployments: {}` would deploy a canary pair.
 */
export function setPath<T>(object: T, path: string, value: unknown): T {
  const [key, ...rest] = path.split(".");
  const source = (object ?? (/^\d+$/.test(key) ? [] : {})) as Record<string, unknown>;
  const copy = (Array.isArray(source) ? [...source] : { ...source }) as Record<string, unknown>;
  if (rest.length === 0) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  } else {
    const child = copy[key] ?? (/^\d+$/.test(rest[0]) ? [] : {});
    const next = setPath(child, rest.join("."), value);
    if (value === undefined && !Array.isArray(copy) && isEmptyObject(next)) delete copy[key];
    else copy[key] = next;
  }
  return copy as T;
}

function isEmptyObject(value: unknown): boolean {
  return !!value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
}
