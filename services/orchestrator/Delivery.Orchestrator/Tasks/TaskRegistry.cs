using System.Collections.Frozen;

namespace Delivery.Orchestrator.Tasks;

public sealed class TaskRegistry(IEnumerable<IStageTask> tasks)
{
    private readonly FrozenDictionary<string, IStageTask> _byName = tasks.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public IStageTask? Find(string name) => _byName.GetValueOrDefault(name);
}
