using System.Collections.Frozen;

namespace Delivery.Orchestrator.Stages;

public sealed class StageDefinitionRegistry(IEnumerable<IStageDefinition> definitions)
{
    private readonly FrozenDictionary<string, IStageDefinition> _byType =
        definitions.ToFrozenDictionary(d => d.Type, StringComparer.Ordinal);

    public IEnumerable<string> Types => _byType.Keys;

    public IStageDefinition? Find(string type) => _byType.GetValueOrDefault(type);
}
