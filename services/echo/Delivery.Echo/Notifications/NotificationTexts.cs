namespace Delivery.Echo.Notifications;

/// <summary>The default text of each notification kind, after Spinnaker's Echo templates.</summary>
public static class NotificationTexts
{
    public static string Default(NotificationEvent e)
    {
        var pipeline = $"pipeline '{e.PipelineName}' of {e.Application}";
        return e.Kind switch
        {
            "pipeline.starting" => $"Pipeline '{e.PipelineName}' of {e.Application} is starting (execution {e.ExecutionId}).",
            "pipeline.complete" => $"Pipeline '{e.PipelineName}' of {e.Application} succeeded (execution {e.ExecutionId}).",
            "pipeline.failed" => $"Pipeline '{e.PipelineName}' of {e.Application} ended {e.Status} (execution {e.ExecutionId}).",
            "stage.starting" => $"Stage '{e.StageName}' of {pipeline} is starting.",
            "stage.complete" => $"Stage '{e.StageName}' of {pipeline} succeeded.",
            "stage.failed" => $"Stage '{e.StageName}' of {pipeline} ended {e.Status}.",
            "manualJudgment" => $"Stage '{e.StageName}' of {pipeline} is awaiting manual judgment."
                + (e.Judgment?.Instructions is { Length: > 0 } i ? $"\n{i}" : ""),
            "manualJudgmentContinue" => $"Stage '{e.StageName}' of {pipeline} was judged to continue by {e.Judgment?.User}"
                + (e.Judgment?.Input is { Length: > 0 } input ? $" ({input})." : "."),
            "manualJudgmentStop" => $"Stage '{e.StageName}' of {pipeline} was judged to stop by {e.Judgment?.User}.",
            _ => $"{e.Kind}: {pipeline}, execution {e.ExecutionId}.",
        };
    }
}
