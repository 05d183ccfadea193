using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Stages;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine.Handlers;

public sealed class StartStageHandler(StageDefinitionRegistry stages, IStageExpressions expressions, StageTransitions transitions)
    : IEngineHandler<StartStage>
{
    public ValueTask HandleAsync(StartStage message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.Status != ExecutionStatus.Running || execution.FindStage(message.StageId) is not { Status: ExecutionStatus.NotStarted } stage)
        {
            return ValueTask.CompletedTask;
        }
        if (!execution.AllUpstreamComplete(stage))
        {
            // The last upstream stage to finish starts this one; a halted upstream means it never will.
            if (execution.AnyUpstreamHalted(stage) && stage.ParentStageId is null)
            {
                frame.Continue(new CompleteExecution(execution.Id));
            }
            return ValueTask.CompletedTask;
        }
        frame.MarkChanged();
        stage.StartTime = frame.Now;

        bool enabled;
        try
        {
            enabled = expressions.IsEnabled(execution, stage);
        }
        catch (InvalidOperationException e)
        {
            transitions.FailBeforeStart(frame, stage, e.Message);
            return ValueTask.CompletedTask;
        }
        if (!enabled)
        {
            stage.Status = ExecutionStatus.Skipped;
            stage.EndTime = frame.Now;
            transitions.Completed(frame, stage);
            transitions.StartNext(frame, stage);
            return ValueTask.CompletedTask;
        }

        var errors = expressions.ProcessContext(execution, stage);
        if (errors.Count > 0 && FailOnFailedExpressions(stage))
        {
            transitions.FailBeforeStart(frame, stage, errors);
            return ValueTask.CompletedTask;
        }
        if (stages.Find(stage.Type) is not { } definition)
        {
            transitions.FailBeforeStart(frame, stage, $"Unknown stage type '{stage.Type}'.");
            return ValueTask.CompletedTask;
        }

        stage.Status = ExecutionStatus.Running;
        ExecutionEvents.StageStarted(frame, stage);
        PlanTasks(stage, definition);
        // As in Orca, any stage may wait for an execution window first (restrictExecutionDuringTimeWindow).
        var planned = RestrictExecutionWindowStage.BeforeStagesFor(stage).Concat(definition.BeforeStages(stage)).ToList();
        var before = AddSynthetic(execution, stage, planned, StageExecution.Before);
        if (before.Count > 0)
        {
            foreach (var first in before.Where(b => b.RequisiteStageRefIds.Count == 0))
            {
                frame.Continue(new StartStage(execution.Id, first.Id));
            }
        }
        else if (stage.Tasks.Count > 0)
        {
            frame.Continue(new StartTask(execution.Id, stage.Id, stage.Tasks[0].Id));
        }
        else
        {
            frame.Continue(new CompleteStage(execution.Id, stage.Id));
        }
        return ValueTask.CompletedTask;
    }

    private static bool FailOnFailedExpressions(StageExecution stage) =>
        stage.Context["failOnFailedExpressions"] is not JsonValue v || !v.TryGetValue(out bool b) || b;

    private static void PlanTasks(StageExecution stage, IStageDefinition definition)
    {
        var tasks = definition.Tasks(stage);
        stage.Tasks = [.. tasks.Select((t, i) => new TaskExecution
        {
            Id = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Name = t.Name,
            ImplementingClass = t.ImplementingClass,
            StageStart = i == 0,
            StageEnd = i == tasks.Count - 1,
        })];
    }

    /// <summary>Adds synthetic stages for one phase as a sequence (each requires the one before).</summary>
    public static List<StageExecution> AddSynthetic(PipelineExecution execution, StageExecution parent, IReadOnlyList<SyntheticStage> planned, string phase)
    {
        var added = new List<StageExecution>();
        var marker = phase == StageExecution.Before ? '<' : '>';
        var offset = execution.Children(parent, phase).Count();
        foreach (var p in planned)
        {
            var refId = $"{parent.RefId}{marker}{offset + added.Count + 1}";
            var stage = new StageExecution
            {
                Id = Ids.NewUlid(),
                RefId = refId,
                Type = p.Type,
                Name = p.Name,
                Context = (JsonObject)p.Context.DeepClone(),
                ParentStageId = parent.Id,
                SyntheticStageOwner = phase,
                RequisiteStageRefIds = added.Count == 0 ? [] : [added[^1].RefId],
            };
            added.Add(stage);
        }
        execution.Stages.AddRange(added);
        return added;
    }
}
