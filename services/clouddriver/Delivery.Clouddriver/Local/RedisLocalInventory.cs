using System.Text.Json;
using Delivery.Clouddriver.Distributed;
using Delivery.Clouddriver.Naming;
using Delivery.Clouddriver.Providers;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// The local cloud's inventory in Redis, after Clouddriver's cats-redis cache: the replica hosting the local cloud (the
/// only one that sees its processes) writes its views, one hash per account and application
/// (<see cref="ClouddriverRedisKeys.Inventory"/>), replaced whole on every change; every replica reads them. Each view
/// names its writer: while that replica no longer hosts the local cloud, its instances read <c>Unknown</c> until the
/// new host has adopted the server group and written its own view. Hashes expire
/// <see cref="DistributedOptions.InventoryTtlSeconds"/> after the last write, so views of a cloud nobody hosts go away.
/// Sizes are bounded by the local provider's limits (instances, load balancers) and operations' bounded bodies.
/// </summary>
public sealed class RedisLocalInventory(
    IConnectionMultiplexer redis,
    ClouddriverRedisKeys keys,
    LocalCloud cloud,
    ILocalCloudHosting hosting,
    ClouddriverReplica replica,
    IOptions<DistributedOptions> options) : ILocalInventory
{
    private const string ServerGroupField = "sg:";
    private const string LoadBalancerField = "lb:";
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>A cached view and the replica that wrote it.</summary>
    public sealed record Entry(string Host, ServerGroupView? ServerGroup, LoadBalancerView? LoadBalancer);

    public IReadOnlyList<ServerGroupView> ServerGroups(string account, string application)
    {
        var host = hosting.CurrentHost;
        return [.. Read(account, application)
            .Where(e => e.ServerGroup is not null)
            .Select(e => e.Host == host ? e.ServerGroup! : e.ServerGroup! with { Instances = [.. e.ServerGroup!.Instances.Select(i => i with { Health = "Unknown" })] })
            .OrderBy(g => g.Cluster, StringComparer.Ordinal).ThenBy(g => g.Moniker.Sequence)];
    }

    public IReadOnlyList<LoadBalancerView> LoadBalancers(string account, string application) =>
        [.. Read(account, application).Where(e => e.LoadBalancer is not null).Select(e => e.LoadBalancer!).OrderBy(b => b.Name, StringComparer.Ordinal)];

    /// <summary>Every cached view of every account and application (what a replica adopting the local cloud recreates).</summary>
    public async Task<IReadOnlyList<Entry>> ReadAllAsync()
    {
        var db = redis.GetDatabase();
        var entries = new List<Entry>();
        foreach (var member in await db.SetMembersAsync(keys.InventoryIndex))
        {
            var (account, application) = Split(member!);
            entries.AddRange(Parse(await db.HashGetAllAsync(keys.Inventory(account, application))));
        }
        return entries;
    }

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        if (!hosting.IsHost)
        {
            return;
        }
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync();
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task WriteAsync()
    {
        var snapshot = new Dictionary<(string Account, string App), List<HashEntry>>();
        foreach (var group in LocalViews.ServerGroups(cloud))
        {
            Add(snapshot, group.Account, group.Moniker.App, ServerGroupField + group.Name, new Entry(replica.Id, group, null));
        }
        foreach (var balancer in LocalViews.LoadBalancers(cloud))
        {
            Add(snapshot, balancer.Account, FriggaNames.Parse(balancer.Name)!.App, LoadBalancerField + balancer.Name, new Entry(replica.Id, null, balancer));
        }
        var db = redis.GetDatabase();
        var ttl = TimeSpan.FromSeconds(options.Value.InventoryTtlSeconds);
        var stale = (await db.SetMembersAsync(keys.InventoryIndex)).Select(m => Split(m!)).Where(k => !snapshot.ContainsKey(k)).ToList();
        // One transaction: a reader sees the previous state or this one, never a half-written application.
        var transaction = db.CreateTransaction();
        foreach (var (account, application) in stale)
        {
            _ = transaction.KeyDeleteAsync(keys.Inventory(account, application));
            _ = transaction.SetRemoveAsync(keys.InventoryIndex, $"{account}:{application}");
        }
        foreach (var ((account, application), fields) in snapshot)
        {
            var key = keys.Inventory(account, application);
            _ = transaction.KeyDeleteAsync(key);
            _ = transaction.HashSetAsync(key, [.. fields]);
            _ = transaction.KeyExpireAsync(key, ttl);
            _ = transaction.SetAddAsync(keys.InventoryIndex, $"{account}:{application}");
        }
        _ = transaction.KeyExpireAsync(keys.InventoryIndex, ttl);
        await transaction.ExecuteAsync();
    }

    private static void Add(Dictionary<(string, string), List<HashEntry>> snapshot, string account, string application, string field, Entry entry)
    {
        if (!snapshot.TryGetValue((account, application), out var fields))
        {
            snapshot[(account, application)] = fields = [];
        }
        fields.Add(new HashEntry(field, JsonSerializer.Serialize(entry, JsonDefaults.Options)));
    }

    private IEnumerable<Entry> Read(string account, string application) =>
        Parse(redis.GetDatabase().HashGetAll(keys.Inventory(account, application)));

    private static IEnumerable<Entry> Parse(HashEntry[] fields) =>
        fields.Select(f => JsonSerializer.Deserialize<Entry>((string)f.Value!, JsonDefaults.Options)).OfType<Entry>();

    // Account names have no ':' (AccountOptions), application names neither (Frigga).
    private static (string Account, string App) Split(string member)
    {
        var colon = member.IndexOf(':', StringComparison.Ordinal);
        return (member[..colon], member[(colon + 1)..]);
    }
}
