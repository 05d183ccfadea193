import type { components } from "./schema";

type Schemas = components["schemas"];
export type Application = Schemas["Application"];
export type PipelineConfig = Schemas["PipelineConfig"];
export type Execution = Schemas["PipelineExecution"];
export type StageExecution = Schemas["StageExecution"];
export type TriggerAccepted = Schemas["TriggerAccepted"];
export type ServerGroup = Schemas["ServerGroupView"];
export type LoadBalancer = Schemas["LoadBalancerView"];

/** An RFC 9457 problem as gate answers every error. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  [extension: string]: unknown;
}

/** A failed API call: its problem (or one made up from what the response said). */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status ?? "error"}`);
    this.problem = problem;
  }
}

/** Who acts: gate reads the acting user from X-SPINNAKER-USER. */
export const currentUser = () => localStorage.getItem("delivery.user") ?? "anonymous";

/** Calls gate; resolves with the JSON body (undefined for an empty one), rejects with an {@link ApiError}. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: "application/json",
        "X-SPINNAKER-USER": currentUser(),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError({ title: "Network error", detail: `${method} ${path}: gate did not answer (${String(e)}).` });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ApiError(parseProblem(response.status, response.statusText, text, `${method} ${path}`));
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The problem in an error response's body, or one that says what came back instead. */
export function parseProblem(status: number, statusText: string, text: string, request: string): Problem {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return { status, ...(parsed as Problem) };
    }
  } catch {
    // not JSON: described below
  }
  return { status, title: statusText || `HTTP ${status}`, detail: `${request} answered ${status}${text ? `: ${text.slice(0, 300)}` : ""}` };
}

const enc = encodeURIComponent;

/** Gate's routes, one function each (README: "The API (gate)"). */
export const gate = {
  applications: () => api<Application[]>("GET", "/applications"),
  application: (app: string) => api<Application>("GET", `/applications/${enc(app)}`),
  saveApplication: (app: Application) => api<Application>("POST", "/applications", app),
  pipelineConfigs: (app: string) => api<PipelineConfig[]>("GET", `/applications/${enc(app)}/pipelineConfigs`),
  pipelineConfig: (app: string, name: string) => api<PipelineConfig>("GET", `/applications/${enc(app)}/pipelineConfigs/${enc(name)}`),
  savePipeline: (config: unknown) => api<PipelineConfig>("POST", "/pipelines", config),
  deletePipeline: (app: string, name: string) => api<void>("DELETE", `/pipelines/${enc(app)}/${enc(name)}`),
  trigger: (app: string, name: string, parameters: Record<string, string>) =>
    api<TriggerAccepted>("POST", `/pipelines/${enc(app)}/${enc(name)}`, { type: "manual", user: currentUser(), parameters }),
  /** The latest `limit` executions of each pipeline config (Spinnaker's `GET /executions`), newest first per config. */
  pipelineExecutions: (configIds: string[], limit: number) =>
    api<Execution[]>("GET", `/executions?pipelineConfigIds=${configIds.map(enc).join(",")}&limit=${limit}`),
  execution: (id: string) => api<Execution>("GET", `/pipelines/${enc(id)}`),
  cancel: (id: string) => api<Execution>("PUT", `/pipelines/${enc(id)}/cancel`),
  pause: (id: string) => api<Execution>("PUT", `/pipelines/${enc(id)}/pause`),
  resume: (id: string) => api<Execution>("PUT", `/pipelines/${enc(id)}/resume`),
  restartStage: (id: string, stageId: string) => api<Execution>("PUT", `/pipelines/${enc(id)}/stages/${enc(stageId)}/restart`),
  skipStage: (id: string, stageId: string) => api<Execution>("PUT", `/pipelines/${enc(id)}/stages/${enc(stageId)}/skip`),
  judge: (id: string, stageId: string, judgmentStatus: "continue" | "stop", judgmentInput?: string) =>
    api<Execution>("PATCH", `/pipelines/${enc(id)}/stages/${enc(stageId)}`, { judgmentStatus, judgmentInput }),
  clusters: (app: string) => api<Record<string, string[]>>("GET", `/applications/${enc(app)}/clusters`),
  serverGroups: (app: string) => api<ServerGroup[]>("GET", `/applications/${enc(app)}/serverGroups`),
  loadBalancers: (app: string) => api<LoadBalancer[]>("GET", `/applications/${enc(app)}/loadBalancers`),
  operation: (type: string, body: Record<string, unknown>) => api<unknown>("POST", `/clouddriver/ops/${enc(type)}`, body),
  canaryReport: (id: string) => api<CanaryReport>("GET", `/v2/canaries/${enc(id)}`),
};

/**
 * A stored canary judgement (canary-judge's CanaryReport): gate passes it through as stored JSON, so
 * the document names only its parts (CanaryJudgement, GroupScore, MetricResult); this joins them.
 */
export interface CanaryReport {
  id: string;
  judgedAt: string;
  canaryConfigName?: string | null;
  scoreThresholds: { marginal: number; pass: number };
  result: Schemas["CanaryJudgement"];
  metricSets: { name: string; control: (number | null)[]; experiment: (number | null)[] }[];
}
