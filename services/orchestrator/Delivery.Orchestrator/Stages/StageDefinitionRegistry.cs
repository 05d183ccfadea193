using System.Collections.Frozen;
using Delivery.Orchestrator.Engine;

namespace Delivery.Orchestrator.Stages;

/// <summary>The stage types registered with <c>AddStage</c>, by <see cref="IStageDefinition.Type"/>.</summary>
public sealed class StageDefinitionRegistry(IEnumerable<IStageDefinition> definitions)
{
    private readonly FrozenDictionary<string, IStageDefinition> _byType = UniqueNames.Index(definitions, d => d.Type, "stage type");

    public IEnumerable<string> Types => _byType.Keys;

    public IStageDefinition? Find(string type) => _byType.GetValueOrDefault(type);
}
