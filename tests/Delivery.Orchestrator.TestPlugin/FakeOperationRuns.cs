using System.Collections.Concurrent;

namespace Delivery.Orchestrator.TestPlugin;

/// <summary>How many times the fake operation task ran, per execution: a callback must wake it, never a poll.</summary>
public sealed class FakeOperationRuns
{
    private readonly ConcurrentDictionary<string, int> _runs = new();

    public void Record(string executionId) => _runs.AddOrUpdate(executionId, 1, (_, n) => n + 1);

    public int Of(string executionId) => _runs.GetValueOrDefault(executionId);
}
