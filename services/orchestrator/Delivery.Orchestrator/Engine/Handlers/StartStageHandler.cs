using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Expressions;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks;
using Delivery.Orchestrator.Stages;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Engine.Views;

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
        catch (ExpressionException e)
        {
            // Orca's OptionalStageSupport: a stageEnabled that cannot be evaluated makes the stage optional, so it is skipped.
            RecordExpressionFailures(stage, [new ExpressionError(e.Expression, e.Reason)], frame.Now);
            enabled = false;
        }
        if (!enabled)
        {
            stage.Status = ExecutionStatus.Skipped;
            stage.EndTime = frame.Now;
            transitions.Completed(frame, stage);
            transitions.StartNext(frame, stage);
            return ValueTask.CompletedTask;
        }

        if (stage.Definition is null && ExpressionEvaluator.ContainsExpressions(stage.Context))
        {
            stage.Definition = (JsonObject)stage.Context.DeepClone();
        }
        IReadOnlyList<ExpressionError> errors;
        try
        {
            errors = expressions.ProcessContext(execution, stage);
        }
        catch (ExpressionBudgetException e)
        {
            // Whatever failOnFailedExpressions says: a stage whose expressions could take the server down does not run.
            transitions.FailBeforeStart(frame, stage, e.Message);
            return ValueTask.CompletedTask;
        }
        if (errors.Count > 0)
        {
            RecordExpressionFailures(stage, errors, frame.Now);
            if (FailOnFailedExpressions(stage))
            {
                transitions.FailBeforeStart(frame, stage, [.. errors.Select(e => $"Failed to evaluate {e.Expression}: {e.Message}")]);
                return ValueTask.CompletedTask;
            }
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
        var view = stage.View();
        var planned = RestrictExecutionWindowStage.BeforeStagesFor(view).Concat(definition.BeforeStages(view)).ToList();
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

    /// <summary>Orca fails a stage on a failed expression only when the stage asks for it; otherwise the text stays as written.</summary>
    private static bool FailOnFailedExpressions(StageExecution stage) => stage.Flag("failOnFailedExpressions");

    /// <summary>
    /// Keeps what failed where Orca keeps it: <c>expressionEvaluationSummary</c> in the stage context, a map from
    /// each failed expression to its failures ({description, exceptionType, level, timestamp}).
    /// </summary>
    public static void RecordExpressionFailures(StageExecution stage, IReadOnlyList<ExpressionError> errors, long now)
    {
        var summary = stage.Context["expressionEvaluationSummary"] as JsonObject ?? [];
        foreach (var error in errors)
        {
            var failures = summary[error.Expression] as JsonArray ?? [];
            failures.Add(new JsonObject
            {
                ["description"] = $"Failed to evaluate {error.Expression}: {error.Message}",
                ["exceptionType"] = "ExpressionException",
                ["level"] = "ERROR",
                ["timestamp"] = now,
            });
            summary[error.Expression] = failures;
        }
        stage.Context["expressionEvaluationSummary"] = summary;
    }

    private static void PlanTasks(StageExecution stage, IStageDefinition definition)
    {
        var tasks = definition.Tasks(stage.View());
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
