using System.Text.Json.Nodes;

namespace Delivery.Gate.Endpoints.Schemas;

/// <summary>An ad-hoc task (Spinnaker's orchestration): stages run one after another, without a saved pipeline.</summary>
public sealed record TaskRequest
{
    /// <summary>What the task does, shown as its name; at most 1,000 characters.</summary>
    public string? Description { get; init; }

    /// <summary>One to 20 stages, each a stage object with its <c>type</c> and fields, e.g. <c>{"type": "resizeServerGroup", ...}</c>.</summary>
    public required JsonArray Job { get; init; }
}

/// <summary>The answer to a started task.</summary>
public sealed record TaskAccepted
{
    /// <summary>The task's path, <c>/tasks/{id}</c>.</summary>
    public required string Ref { get; init; }
}
