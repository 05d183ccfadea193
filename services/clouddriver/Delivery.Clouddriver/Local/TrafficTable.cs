namespace Delivery.Clouddriver.Local;

/// <summary>
/// Where one load balancer sends requests at one moment: each enabled server group with a weight
/// and its Up instances. Built from the cloud's state when it changes; picking is lock-free.
/// </summary>
public sealed class TrafficTable
{
    public sealed record Entry(string ServerGroup, double Weight, IReadOnlyList<LocalInstance> Instances)
    {
        internal int Next;
    }

    private TrafficTable(IReadOnlyList<Entry> entries) => Entries = entries;

    public IReadOnlyList<Entry> Entries { get; }

    public double TotalWeight => Entries.Sum(e => e.Weight);

    /// <summary>The percent of traffic each server group gets (0..100).</summary>
    public double PercentOf(string serverGroup)
    {
        var total = TotalWeight;
        return total <= 0 ? 0 : Entries.Where(e => e.ServerGroup == serverGroup).Sum(e => e.Weight) * 100 / total;
    }

    /// <summary>
    /// Weights: with no explicit <paramref name="percents"/>, each group by its Up instance count.
    /// Otherwise a named group gets its percent and the unnamed ones share the rest by Up instance
    /// count. A group without Up instances gets nothing (its share goes to the others); if every
    /// weight is zero, Up instance counts apply, since serving beats an exact split.
    /// </summary>
    public static TrafficTable Build(IEnumerable<(string ServerGroup, IReadOnlyList<LocalInstance> Up)> groups, IReadOnlyDictionary<string, int>? percents)
    {
        var live = groups.Where(g => g.Up.Count > 0).ToList();
        List<Entry> entries;
        if (percents is not { Count: > 0 })
        {
            entries = [.. live.Select(g => new Entry(g.ServerGroup, g.Up.Count, g.Up))];
        }
        else
        {
            var rest = Math.Max(0, 100 - percents.Values.Sum());
            var unnamedUp = live.Where(g => !percents.ContainsKey(g.ServerGroup)).Sum(g => g.Up.Count);
            entries = [.. live.Select(g => new Entry(g.ServerGroup,
                percents.TryGetValue(g.ServerGroup, out var percent) ? percent : (double)rest * g.Up.Count / unnamedUp,
                g.Up))];
            if (entries.All(e => e.Weight <= 0))
            {
                entries = [.. live.Select(g => new Entry(g.ServerGroup, g.Up.Count, g.Up))];
            }
        }
        return new TrafficTable(entries);
    }

    /// <summary>A server group by weight, then its next instance in turn; skips <paramref name="exclude"/>d instances. Null when none is left.</summary>
    public (string ServerGroup, LocalInstance Instance)? Pick(IReadOnlyCollection<LocalInstance>? exclude)
    {
        var candidates = exclude is null or { Count: 0 }
            ? Entries
            : [.. Entries.Where(e => e.Weight > 0 && e.Instances.Any(i => !exclude.Contains(i)))];
        var total = candidates.Sum(e => e.Weight);
        if (total <= 0)
        {
            return null;
        }
        var point = Random.Shared.NextDouble() * total;
        var entry = candidates[^1];
        foreach (var candidate in candidates)
        {
            if (point < candidate.Weight)
            {
                entry = candidate;
                break;
            }
            point -= candidate.Weight;
        }
        var instances = exclude is null or { Count: 0 } ? entry.Instances : [.. entry.Instances.Where(i => !exclude.Contains(i))];
        var index = (int)((uint)Interlocked.Increment(ref entry.Next) % (uint)instances.Count);
        return (entry.ServerGroup, instances[index]);
    }
}
