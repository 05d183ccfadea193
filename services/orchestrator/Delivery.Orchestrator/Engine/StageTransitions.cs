using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine;

/// <summary>What happens around a stage that reaches a final status: the event, and what starts next.</summary>
public sealed class StageTransitions
{
    /// <summary>Settles a stage and moves the pipeline on: downstream stages on success, the parent or the execution on failure.</summary>
    public void Finish(ExecutionFrame frame, StageExecution stage, ExecutionStatus status)
    {
        var execution = frame.Execution;
        stage.Status = status;
        stage.EndTime = frame.Now;
        frame.MarkChanged();
        Completed(frame, stage);
        if (status.AllowsDownstream())
        {
            StartNext(frame, stage);
            return;
        }
        execution.CancelRunning(stage, frame.Now);
        stage.Status = status;
        frame.Continue(stage.ParentStageId is { } parentId
            ? new CompleteStage(execution.Id, parentId)
            : new CompleteExecution(execution.Id));
    }

    /// <summary>Fails a stage that could not start (bad expression, unknown type), recording why.</summary>
    public void FailBeforeStart(ExecutionFrame frame, StageExecution stage, params IReadOnlyList<string> errors)
    {
        RecordErrors(stage, errors);
        Finish(frame, stage, stage.FailureStatus());
    }

    public static void RecordErrors(StageExecution stage, IReadOnlyList<string> errors)
    {
        stage.Context["exception"] = new JsonObject
        {
            ["details"] = new JsonObject
            {
                ["error"] = errors[0],
                ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)JsonValue.Create(e))]),
            },
        };
    }

    public void Completed(ExecutionFrame frame, StageExecution stage)
    {
        var e = frame.Execution;
        frame.Publish(new StageCompleted(e.Id, e.Application, stage.Id, stage.Type, stage.Name, stage.Status, stage.EndTime ?? frame.Now));
    }

    /// <summary>Starts the stages that wait on this one; at the end of a graph, continues the parent or completes the execution.</summary>
    public void StartNext(ExecutionFrame frame, StageExecution stage)
    {
        var execution = frame.Execution;
        var downstream = execution.Downstream(stage).ToList();
        if (downstream.Count > 0)
        {
            foreach (var next in downstream)
            {
                var start = new StartStage(execution.Id, next.Id);
                if (stage.ParentStageId is not null && downstream.Count == 1)
                {
                    frame.Continue(start);
                }
                else
                {
                    frame.Publish(start);
                }
            }
        }
        else if (stage.SyntheticStageOwner is { } phase && stage.ParentStageId is { } parentId)
        {
            frame.Continue(new ContinueParentStage(execution.Id, parentId, phase));
        }
        else
        {
            frame.Continue(new CompleteExecution(execution.Id));
        }
    }
}
