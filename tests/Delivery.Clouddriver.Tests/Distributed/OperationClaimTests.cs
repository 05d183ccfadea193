using System.Text.Json.Nodes;
using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Distributed;
using Delivery.Clouddriver.Operations;
using Delivery.Clouddriver.Providers;
using Delivery.Clouddriver.Tests.TestHost;
using Delivery.Contracts.Clouddriver;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Tests.Distributed;

/// <summary>
/// Two clouddriver replicas (two <see cref="OperationRunner"/>s, each its own replica id) sharing a real Redis: an
/// operation id is claimed before it runs, so it runs once over both; a claim whose replica died is taken over.
/// </summary>
/// <remarks>
/// A lease only holds while its renewals (every third of it) run on time; a test host starved of thread-pool threads
/// can miss one. Only the tests about lapses use short leases, and those leave twice a renewal period of slack.
/// </remarks>
public sealed class OperationClaimTests(RedisServer server) : IClassFixture<RedisServer>
{
    /// <summary>An operation of a test provider.</summary>
    private sealed record Slow(string OperationId, string? ExecutionId = null, string? StageId = null, string? TaskId = null) : IClouddriverOperation;

    /// <summary>A test double: the only way to count how often the runners call a provider. Each run takes <paramref name="delay"/>.</summary>
    private sealed class CountingProvider(TimeSpan delay) : IProviderOperations
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public IReadOnlyDictionary<string, Type> Types { get; } = new Dictionary<string, Type> { ["slow"] = typeof(Slow) };

        public async Task<JsonObject> RunAsync(IClouddriverOperation operation, CancellationToken cancellationToken)
        {
            var run = Interlocked.Increment(ref _runs);
            await Task.Delay(delay, cancellationToken);
            return new JsonObject { ["run"] = run };
        }
    }

    private OperationRunner Replica(IProviderOperations provider, string prefix, int leaseMs)
    {
        var accounts = new AccountRegistry(Options.Create(new ClouddriverOptions { DefaultLocalAccount = false }), []);
        return new OperationRunner(accounts, new RedisOperationLog(server.Connection, RedisServer.Keys(prefix)), Options.Create(new ClouddriverOptions()),
            Options.Create(new DistributedOptions { LeaseMs = leaseMs }), new ClouddriverReplica(), [provider], NullLogger<OperationRunner>.Instance);
    }

    [Fact]
    public async Task A_command_delivered_to_both_replicas_runs_once_and_both_answer_its_result()
    {
        // The run is shorter than the lease: this is about the claim, not its renewal.
        var provider = new CountingProvider(TimeSpan.FromMilliseconds(1500));
        var prefix = $"claim-{Guid.NewGuid():N}:";
        var (a, b) = (Replica(provider, prefix, 10_000), Replica(provider, prefix, 10_000));
        var operation = new Slow("op-both");

        var answers = await Task.WhenAll(a.RunAsync(operation, default), b.RunAsync(operation, default), b.RunAsync(operation, default));

        Assert.Equal(1, provider.Runs);
        Assert.All(answers, c => Assert.True(c.Succeeded, c.Error));
        Assert.Single(answers.Select(c => c.ResultJson).Distinct());
        // A copy redelivered later is answered from the log, not run.
        Assert.Equal(answers[0], await a.RunAsync(operation, default));
        Assert.Equal(1, provider.Runs);
    }

    [Fact]
    public async Task A_run_whose_replica_died_is_taken_over_once_its_claim_lapses()
    {
        const int leaseMs = 1000;
        var delay = TimeSpan.FromMilliseconds(2500);
        var provider = new CountingProvider(delay);
        var prefix = $"claim-{Guid.NewGuid():N}:";
        var (dying, survivor) = (Replica(provider, prefix, leaseMs), Replica(provider, prefix, leaseMs));
        var operation = new Slow("op-takeover");

        // The first replica claims and starts the operation, then "dies": its run stops without a result or a release.
        using var death = new CancellationTokenSource();
        var lost = dying.RunAsync(operation, death.Token);
        await Ops.EventuallyAsync(() => Task.FromResult(provider.Runs == 1), TimeSpan.FromSeconds(10));
        await death.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lost);
        var claim = await new RedisOperationLog(server.Connection, RedisServer.Keys(prefix)).ClaimAsync(operation.OperationId, "someone-else", TimeSpan.FromSeconds(1), default);
        Assert.NotNull(claim.HeldBy);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answer = await survivor.RunAsync(operation, default);

        Assert.True(answer.Succeeded, answer.Error);
        Assert.Equal(2, provider.Runs);
        Assert.Equal(2, JsonNode.Parse(answer.ResultJson)!["run"]!.GetValue<int>());
        // It waited for the lapse of the dead replica's lease, not longer than a lease and the run.
        Assert.InRange(watch.Elapsed, delay, TimeSpan.FromMilliseconds(leaseMs * 2) + delay + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_live_run_keeps_its_claim_longer_than_a_lease_and_the_other_replica_waits_for_its_result()
    {
        // Renewals every 600 ms keep an 1800 ms lease; one may come up to 1.2 s late.
        const int leaseMs = 1800;
        var provider = new CountingProvider(TimeSpan.FromMilliseconds(4000));
        var prefix = $"claim-{Guid.NewGuid():N}:";
        var (a, b) = (Replica(provider, prefix, leaseMs), Replica(provider, prefix, leaseMs));
        var operation = new Slow("op-renewed");

        var first = a.RunAsync(operation, default);
        await Ops.EventuallyAsync(() => Task.FromResult(provider.Runs == 1), TimeSpan.FromSeconds(10));
        // The run lasts 4 s, more than two leases: only renewals keep b from taking it over.
        var second = await b.RunAsync(operation, default);

        Assert.Equal(1, provider.Runs);
        Assert.Equal(await first, second);
    }
}
