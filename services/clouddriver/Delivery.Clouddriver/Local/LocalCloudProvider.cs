using System.Text.Json.Nodes;
using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Naming;
using Delivery.Clouddriver.Operations;
using Delivery.Clouddriver.Providers;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// The <c>local</c> cloud provider: server groups are processes on this machine, load balancers are
/// YARP listeners on 127.0.0.1 (see <see cref="LocalCloud"/>, <see cref="LocalLoadBalancer"/>).
/// Region is always <c>local</c>.
/// </summary>
public sealed partial class LocalCloudProvider(LocalCloud cloud, ILocalInventory inventory, ISequenceStore sequences, TimeProvider time) : ICloudProvider
{
    public const string Name = "local";
    public const string Region = "local";

    public string CloudProvider => Name;

    public bool IsHealthy(CloudAccount account) => true;

    public async Task<JsonObject> CreateServerGroupAsync(CloudAccount account, CreateServerGroup operation, CancellationToken cancellationToken)
    {
        var options = cloud.Options;
        if (operation.Capacity.Max > options.MaxInstancesPerServerGroup)
        {
            throw OperationException.Invalid($"capacity.max ({operation.Capacity.Max}) is above the local provider's limit of {options.MaxInstancesPerServerGroup} instances per server group.");
        }
        CheckRoomFor(operation.Capacity.Desired);
        foreach (var name in operation.LoadBalancers ?? [])
        {
            if (!cloud.LoadBalancers.ContainsKey((account.Name, name)))
            {
                throw OperationException.NotFound($"Load balancer '{name}' does not exist in account '{account.Name}'; create it with upsertLoadBalancer first.");
            }
        }
        var cluster = FriggaNames.Build(operation.Application, operation.Stack, operation.FreeFormDetails).Moniker!;
        var sequence = await sequences.ReserveAsync(account.Name, cluster.Cluster, operation.OperationId, cancellationToken);
        var serverGroupName = (cluster with { Sequence = sequence }).ServerGroup;
        if (cloud.ServerGroups.TryGetValue((account.Name, serverGroupName), out var adopted))
        {
            // This operation's earlier run, on a replica that died, created it and this replica adopted it: finish that run.
            await WaitForCapacityAsync(adopted, cancellationToken);
            return await PublishedAsync(ServerGroupResult(account, adopted), cancellationToken);
        }
        var group = new LocalServerGroup(account.Name, cluster with { Sequence = sequence }, operation, time.GetUtcNow());
        if (!cloud.ServerGroups.TryAdd((account.Name, group.Name), group))
        {
            throw OperationException.Failed($"Server group {group.Name} already exists in account '{account.Name}'.");
        }
        try
        {
            cloud.Reconcile(group, throwOnStartFailure: true);
            await WaitForCapacityAsync(group, cancellationToken);
        }
        catch
        {
            cloud.ServerGroups.TryRemove((account.Name, group.Name), out _);
            await cloud.StopAsync(group, CancellationToken.None);
            throw;
        }
        return await PublishedAsync(ServerGroupResult(account, group), cancellationToken);
    }

    public async Task<JsonObject> ResizeServerGroupAsync(CloudAccount account, ResizeServerGroup operation, CancellationToken cancellationToken)
    {
        var group = FindServerGroup(account, operation.ServerGroupName);
        if (operation.Capacity.Max > cloud.Options.MaxInstancesPerServerGroup)
        {
            throw OperationException.Invalid($"capacity.max ({operation.Capacity.Max}) is above the local provider's limit of {cloud.Options.MaxInstancesPerServerGroup} instances per server group.");
        }
        CheckRoomFor(operation.Capacity.Desired - group.RunningCount);
        group.Capacity = operation.Capacity;
        cloud.Reconcile(group, throwOnStartFailure: true);
        await WaitForCapacityAsync(group, cancellationToken);
        return await PublishedAsync(ServerGroupResult(account, group), cancellationToken);
    }

    public async Task<JsonObject> EnableServerGroupAsync(CloudAccount account, EnableServerGroup operation, CancellationToken cancellationToken)
    {
        var group = FindServerGroup(account, operation.ServerGroupName);
        // Balancers read the flag on their next request; once every instance is Up, all of them take traffic.
        group.Disabled = false;
        cloud.Changed();
        await WaitForCapacityAsync(group, cancellationToken);
        return await PublishedAsync(ServerGroupResult(account, group), cancellationToken);
    }

    public Task<JsonObject> DisableServerGroupAsync(CloudAccount account, DisableServerGroup operation, CancellationToken cancellationToken)
    {
        var group = FindServerGroup(account, operation.ServerGroupName);
        group.Disabled = true;
        cloud.Changed();
        return PublishedAsync(ServerGroupResult(account, group), cancellationToken);
    }

    public async Task<JsonObject> DestroyServerGroupAsync(CloudAccount account, DestroyServerGroup operation, CancellationToken cancellationToken)
    {
        var group = FindServerGroup(account, operation.ServerGroupName);
        // Out of every balancer first, so no new request is sent to an instance about to be killed.
        group.Disabled = true;
        cloud.Changed();
        cloud.ServerGroups.TryRemove((account.Name, group.Name), out _);
        await cloud.StopAsync(group, cancellationToken);
        return await PublishedAsync(ServerGroupResult(account, group), cancellationToken);
    }

    public async Task<JsonObject> TerminateInstancesAsync(CloudAccount account, TerminateInstances operation, CancellationToken cancellationToken)
    {
        var instances = new List<LocalInstance>();
        foreach (var id in operation.InstanceIds.Distinct(StringComparer.Ordinal))
        {
            instances.Add(FindInstance(account, id)?.Instance
                ?? throw OperationException.NotFound($"Instance '{id}' does not exist in account '{account.Name}'."));
        }
        await Task.WhenAll(instances.Select(i => i.StopAsync(cloud.Drain)));
        foreach (var instance in instances)
        {
            if (!await instance.WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken))
            {
                throw OperationException.Failed($"Instance {instance.Id} (pid {instance.Pid}) did not exit within 10 s.");
            }
        }
        return await PublishedAsync(new JsonObject { ["account"] = account.Name, ["terminatedInstanceIds"] = new JsonArray([.. instances.Select(i => (JsonNode)i.Id)]) }, cancellationToken);
    }

    public async Task<JsonObject> UpsertLoadBalancerAsync(CloudAccount account, UpsertLoadBalancer operation, CancellationToken cancellationToken)
    {
        var weights = CheckWeights(operation.Weights);
        if (operation.Port is < 0 or > 65535)
        {
            throw OperationException.Invalid($"port {operation.Port} is not a TCP port (0..65535; 0 or none picks a free one).");
        }
        if (cloud.LoadBalancers.TryGetValue((account.Name, operation.Name), out var existing))
        {
            if (operation.Port is > 0 && operation.Port != existing.Port)
            {
                throw OperationException.Invalid($"Load balancer '{operation.Name}' listens on port {existing.Port}; delete it to move it to port {operation.Port}.");
            }
            existing.Weights = weights;
            return await PublishedAsync(LoadBalancerResult(account, existing), cancellationToken);
        }
        if (cloud.LoadBalancers.Count >= cloud.Options.MaxLoadBalancers)
        {
            throw OperationException.Invalid($"The local provider already runs its limit of {cloud.Options.MaxLoadBalancers} load balancers.");
        }
        LocalLoadBalancer balancer;
        try
        {
            balancer = await LocalLoadBalancer.StartAsync(account.Name, FriggaNames.Parse(operation.Name)!, operation.Port ?? 0, weights, cloud, cancellationToken);
        }
        catch (IOException e)
        {
            throw OperationException.Failed($"Load balancer '{operation.Name}' could not listen on 127.0.0.1:{operation.Port}: {e.Message}");
        }
        if (!cloud.LoadBalancers.TryAdd((account.Name, operation.Name), balancer))
        {
            // Another upsert of the same name won the race: keep that one.
            await balancer.DisposeAsync();
            return LoadBalancerResult(account, cloud.LoadBalancers[(account.Name, operation.Name)]);
        }
        cloud.Changed();
        return await PublishedAsync(LoadBalancerResult(account, balancer), cancellationToken);
    }

    public async Task<JsonObject> DeleteLoadBalancerAsync(CloudAccount account, DeleteLoadBalancer operation, CancellationToken cancellationToken)
    {
        if (!cloud.LoadBalancers.TryRemove((account.Name, operation.Name), out var balancer))
        {
            throw OperationException.NotFound($"Load balancer '{operation.Name}' does not exist in account '{account.Name}'.");
        }
        await balancer.DisposeAsync();
        foreach (var group in cloud.ServerGroups.Values.Where(g => g.Account == account.Name && g.LoadBalancers.Contains(operation.Name)))
        {
            group.LoadBalancers = [.. group.LoadBalancers.Where(n => n != operation.Name)];
        }
        cloud.Changed();
        return await PublishedAsync(new JsonObject { ["loadBalancerName"] = operation.Name, ["account"] = account.Name }, cancellationToken);
    }

    /// <summary>Returns <paramref name="result"/> once every replica's read API shows the operation's outcome.</summary>
    private async Task<JsonObject> PublishedAsync(JsonObject result, CancellationToken cancellationToken)
    {
        await inventory.PublishAsync(cancellationToken);
        return result;
    }

    private void CheckRoomFor(int moreInstances)
    {
        var running = cloud.RunningInstances();
        if (moreInstances > 0 && running + moreInstances > cloud.Options.MaxInstances)
        {
            throw OperationException.Invalid($"{moreInstances} more instances would exceed the local provider's limit of {cloud.Options.MaxInstances} (running now: {running}).");
        }
    }

    private static Dictionary<string, int>? CheckWeights(IReadOnlyDictionary<string, int>? weights)
    {
        if (weights is not { Count: > 0 })
        {
            return null;
        }
        foreach (var (name, percent) in weights)
        {
            OperationChecks.ServerGroupName(name);
            if (percent is < 0 or > 100)
            {
                throw OperationException.Invalid($"weight of {name} is {percent}; a weight is a percent, 0..100.");
            }
        }
        if (weights.Values.Sum() > 100)
        {
            throw OperationException.Invalid($"weights add up to {weights.Values.Sum()} percent; at most 100.");
        }
        return new Dictionary<string, int>(weights, StringComparer.Ordinal);
    }

    private LocalServerGroup FindServerGroup(CloudAccount account, string name) =>
        cloud.ServerGroups.TryGetValue((account.Name, name), out var group) && !group.Destroyed
            ? group
            : throw OperationException.NotFound($"Server group '{name}' does not exist in account '{account.Name}'.");

    private (LocalServerGroup Group, LocalInstance Instance)? FindInstance(CloudAccount account, string instanceId) =>
        cloud.ServerGroups.Values
            .Where(g => g.Account == account.Name)
            .SelectMany(g => g.Instances.Select(i => (g, i)))
            .FirstOrDefault(x => x.i.Id == instanceId) is ({ } group, { } instance) ? (group, instance) : null;

    /// <summary>
    /// Waits until exactly <c>capacity.desired</c> instances run and all are Up. Fails fast when a new
    /// instance exits before it was ever Up (the artifact is broken: its output is in the message),
    /// and after the startup timeout, saying how many are Up.
    /// </summary>
    private async Task WaitForCapacityAsync(LocalServerGroup group, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(cloud.Options.InstanceStartupTimeoutSeconds);
        while (true)
        {
            var instances = group.Instances;
            if (instances.FirstOrDefault(i => i.Exited && !i.EverUp && !i.Stopping) is { } crashed)
            {
                throw OperationException.Failed($"Instance {crashed.Id} of {group.Name} ('{Describe(group.Spec.Artifact)}') exited with code {crashed.ExitCode?.ToString() ?? "unknown"} before its health check {group.HealthCheckPath} answered; last output: {LastOutput(crashed)}");
            }
            var running = instances.Where(i => !i.Exited).ToList();
            var desired = group.Capacity.Desired;
            if (running.Count == desired && running.All(i => i.Routable))
            {
                // Forget the instances this stopped now, so the inventory shows the outcome when the operation reports it.
                cloud.Reconcile(group);
                return;
            }
            if (time.GetUtcNow() > deadline)
            {
                throw OperationException.Failed($"Server group {group.Name}: {running.Count(i => i.Routable)} of {desired} instances Up after {cloud.Options.InstanceStartupTimeoutSeconds} s (health check GET {group.HealthCheckPath}).");
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    private static string Describe(ProcessArtifact artifact) => string.Join(' ', [artifact.Command, .. artifact.Args ?? []]);

    private static string LastOutput(LocalInstance instance)
    {
        var text = (instance.Stderr.Read().Text + instance.Stdout.Read().Text).Trim();
        return text.Length == 0 ? "(none)" : text.Length > 2000 ? "..." + text[^2000..] : text;
    }

    private static JsonObject ServerGroupResult(CloudAccount account, LocalServerGroup group) => new()
    {
        ["serverGroupName"] = group.Name,
        ["cluster"] = group.Moniker.Cluster,
        ["account"] = account.Name,
        ["region"] = Region,
        ["cloudProvider"] = Name,
    };

    private static JsonObject LoadBalancerResult(CloudAccount account, LocalLoadBalancer balancer) => new()
    {
        ["loadBalancerName"] = balancer.Name,
        ["account"] = account.Name,
        ["url"] = balancer.Url,
    };
}
