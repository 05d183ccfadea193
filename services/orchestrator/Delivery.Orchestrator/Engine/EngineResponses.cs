using Delivery.Contracts.Api;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;

namespace Delivery.Orchestrator.Engine;

public static class EngineResponses
{
    public static ApiReply Execution(PipelineExecution execution) => ApiReply.Ok(ExecutionSerializer.SerializeToString(execution));

    public static ApiReply NotFound(string executionId) => ApiReply.NotFound($"Execution '{executionId}' was not found.");

    public static ApiReply StageNotFound(PipelineExecution execution, string stageId) =>
        ApiReply.NotFound($"Execution '{execution.Id}' has no stage '{stageId}'.");

    public static ApiReply Conflict(string detail) => ApiReply.Conflict(detail);
}
