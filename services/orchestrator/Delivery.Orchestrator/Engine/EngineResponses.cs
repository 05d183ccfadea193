using Delivery.Contracts.Api;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;

namespace Delivery.Orchestrator.Engine;

public static class EngineResponses
{
    public static ApiResponse Execution(PipelineExecution execution) => ApiResponse.Ok(ExecutionSerializer.SerializeToString(execution));

    public static ApiResponse NotFound(string executionId) => ApiResponse.Problem(404, $"Execution '{executionId}' was not found.");

    public static ApiResponse StageNotFound(PipelineExecution execution, string stageId) =>
        ApiResponse.Problem(404, $"Execution '{execution.Id}' has no stage '{stageId}'.");

    public static ApiResponse Conflict(string detail) => ApiResponse.Problem(409, detail);
}
