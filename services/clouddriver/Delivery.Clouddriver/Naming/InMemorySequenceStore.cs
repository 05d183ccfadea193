using System.Collections.Concurrent;

namespace Delivery.Clouddriver.Naming;

/// <summary>Sequences for one process (standalone): they restart at 0 with the process, whose server groups are gone too.</summary>
public sealed class InMemorySequenceStore : ISequenceStore
{
    private readonly ConcurrentDictionary<(string, string), StrongBox> _next = new();

    public Task<int> NextAsync(string account, string cluster, CancellationToken cancellationToken)
    {
        var box = _next.GetOrAdd((account, cluster), _ => new StrongBox());
        return Task.FromResult(Interlocked.Increment(ref box.Value) - 1);
    }

    private sealed class StrongBox
    {
        public int Value;
    }
}
