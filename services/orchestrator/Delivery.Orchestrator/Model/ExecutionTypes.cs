namespace Delivery.Orchestrator.Model;

/// <summary>Orca's execution types, as the execution JSON's <c>type</c> names them.</summary>
public static class ExecutionTypes
{
    /// <summary>A run of a saved pipeline config.</summary>
    public const string Pipeline = "PIPELINE";

    /// <summary>An ad-hoc task: stages given in the request, no pipeline config (gate's <c>/applications/{app}/tasks</c>).</summary>
    public const string Orchestration = "ORCHESTRATION";
}
