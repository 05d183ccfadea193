using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>A stage a stage type adds before, after or on failure of its own tasks.</summary>
/// <param name="Type">A registered stage type.</param>
/// <param name="Name">The stage's name as shown in the execution.</param>
/// <param name="Context">The synthetic stage's context (copied when the stage is added).</param>
public sealed record SyntheticStage(string Type, string Name, JsonObject Context);
