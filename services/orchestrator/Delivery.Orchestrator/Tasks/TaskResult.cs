using System.Text.Json.Nodes;
using Delivery.Contracts;

namespace Delivery.Orchestrator.Tasks;

/// <summary>
/// What a task run produced: a status, values merged into the stage context and outputs, and for
/// RUNNING when to run again (<see cref="RunAgainAfter"/> null waits for an outside event, such as a judgment).
/// </summary>
public sealed record TaskResult(ExecutionStatus Status, JsonObject? Context = null, JsonObject? Outputs = null, TimeSpan? RunAgainAfter = null, string? Error = null)
{
    public static TaskResult Succeeded(JsonObject? context = null, JsonObject? outputs = null) => new(ExecutionStatus.Succeeded, context, outputs);

    public static TaskResult Running(TimeSpan? runAgainAfter, JsonObject? context = null) => new(ExecutionStatus.Running, context, RunAgainAfter: runAgainAfter);

    public static TaskResult Terminal(string error, JsonObject? context = null) => new(ExecutionStatus.Terminal, context, Error: error);
}
