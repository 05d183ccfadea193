using System.Collections.Frozen;

namespace Delivery.Orchestrator.Engine;

/// <summary>Indexes plug-in registrations by name, refusing two with the same name (a stage type or task added twice by different assemblies).</summary>
internal static class UniqueNames
{
    /// <exception cref="InvalidOperationException">Two registrations share a name.</exception>
    public static FrozenDictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> name, string what) where T : notnull
    {
        var byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!byName.TryAdd(name(item), item))
            {
                throw new InvalidOperationException(
                    $"Two {what}s are named '{name(item)}': {byName[name(item)].GetType().FullName} and {item.GetType().FullName}.");
            }
        }
        return byName.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
