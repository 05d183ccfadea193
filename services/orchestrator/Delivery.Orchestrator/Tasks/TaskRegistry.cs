using System.Collections.Frozen;
using Delivery.Orchestrator.Engine;

namespace Delivery.Orchestrator.Tasks;

/// <summary>The tasks registered with <c>AddTask</c>, by <see cref="IStageTask.Name"/>.</summary>
public sealed class TaskRegistry(IEnumerable<IStageTask> tasks)
{
    private readonly FrozenDictionary<string, IStageTask> _byName = UniqueNames.Index(tasks, t => t.Name, "task");

    public IStageTask? Find(string name) => _byName.GetValueOrDefault(name);
}
