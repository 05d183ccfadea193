using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Distributed;
using Delivery.Clouddriver.Naming;
using Delivery.Contracts.Clouddriver;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Operations;

/// <summary>
/// Runs operation commands: at most once per <see cref="IClouddriverOperation.OperationId"/> over every replica (a
/// duplicate waits for, or is answered with, the first run's result; the id is claimed in <see cref="IOperationLog"/>
/// before it runs, and a claim whose replica died is taken over after its lease), after the checks every
/// provider shares, on the provider of the command's account. Never throws for a failed operation:
/// the failure is the result. A failed result's <c>ResultJson</c> holds <c>{"errorKind": "invalid" | "notFound" | "failed"}</c>.
/// </summary>
public sealed class OperationRunner(
    AccountRegistry accounts,
    IOperationLog log,
    IOptions<ClouddriverOptions> options,
    IOptions<DistributedOptions> distributed,
    ClouddriverReplica replica,
    IEnumerable<Providers.IProviderOperations> providerOperations,
    ILogger<OperationRunner> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<OperationCompleted>>> _running = new(StringComparer.Ordinal);

    /// <summary>Runs the operation (or finds its earlier result) and returns the result to publish.</summary>
    public async Task<OperationCompleted> RunAsync(IClouddriverOperation operation, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(operation.OperationId))
        {
            return Completed(operation, null, new OperationException(OperationErrorKind.Invalid, "operationId is required."));
        }
        if (await log.FindAsync(operation.OperationId, cancellationToken) is { } done)
        {
            return done;
        }
        // The first caller's token governs the run: a duplicate delivered meanwhile only waits for it.
        var run = _running.GetOrAdd(operation.OperationId, _ => new Lazy<Task<OperationCompleted>>(() => RunOnceAsync(operation, cancellationToken)));
        try
        {
            return await run.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (run.Value.IsCompleted)
            {
                _running.TryRemove(new KeyValuePair<string, Lazy<Task<OperationCompleted>>>(operation.OperationId, run));
            }
        }
    }

    private async Task<OperationCompleted> RunOnceAsync(IClouddriverOperation operation, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var lease = TimeSpan.FromMilliseconds(distributed.Value.LeaseMs);
        for (var attempt = 0; ; attempt++)
        {
            var claim = await log.ClaimAsync(operation.OperationId, replica.Id, lease, cancellationToken);
            if (claim.Completed is { } done)
            {
                return done;
            }
            if (claim.Claimed)
            {
                break;
            }
            // Another replica runs it: answer with its result, or take it over once its claim lapses (it died).
            if (attempt == 0)
            {
                logger.LogInformation("Operation {OperationId} is running on replica {Replica}; waiting for its result or for its claim to lapse", operation.OperationId, claim.HeldBy);
            }
            await Task.Delay(lease / 10, cancellationToken);
        }

        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewClaimAsync(operation.OperationId, lease, running.Token);
        OperationCompleted completed;
        try
        {
            completed = await ExecuteOnceAsync(operation, cancellationToken);
        }
        finally
        {
            await running.CancelAsync();
            await renewing;
        }
        try
        {
            return await log.SaveAsync(completed, replica.Id, TimeSpan.FromHours(options.Value.OperationRetentionHours), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The cloud already changed: answering beats failing the message, whose retry would run the operation again.
            logger.LogError(e, "Could not record the result of operation {OperationId}; a redelivered copy would run it again", operation.OperationId);
            return completed;
        }
    }

    /// <summary>Keeps this replica's claim alive while the operation runs, so no other replica takes a live run over.</summary>
    private async Task RenewClaimAsync(string operationId, TimeSpan lease, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    if (!await log.RenewAsync(operationId, replica.Id, lease, stop))
                    {
                        logger.LogError("The claim of operation {OperationId} lapsed while it ran; another replica may run it too", operationId);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not renew the claim of operation {OperationId}", operationId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private async Task<OperationCompleted> ExecuteOnceAsync(IClouddriverOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ExecuteAsync(operation, cancellationToken);
            var completed = Completed(operation, result, null);
            logger.LogInformation("Operation {OperationId} ({Type}) succeeded: {Result}", operation.OperationId, operation.GetType().Name, completed.ResultJson);
            return completed;
        }
        catch (OperationException e)
        {
            logger.LogWarning("Operation {OperationId} ({Type}) failed: {Error}", operation.OperationId, operation.GetType().Name, e.Message);
            return Completed(operation, null, e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Operation {OperationId} ({Type}) failed unexpectedly", operation.OperationId, operation.GetType().Name);
            return Completed(operation, null, OperationException.Failed($"{operation.GetType().Name} failed unexpectedly: {e.Message}"));
        }
    }

    private Task<JsonObject> ExecuteAsync(IClouddriverOperation operation, CancellationToken ct)
    {
        switch (operation)
        {
            case CreateServerGroup op:
            {
                var account = accounts.Get(op.Account);
                OperationChecks.Capacity(op.Capacity);
                if (FriggaNames.Build(op.Application, op.Stack, op.FreeFormDetails).Error is { } nameError)
                {
                    throw OperationException.Invalid(nameError);
                }
                if (op.Artifact is null || string.IsNullOrWhiteSpace(op.Artifact.Command))
                {
                    throw OperationException.Invalid("artifact.command is required.");
                }
                return accounts.ProviderOf(account).CreateServerGroupAsync(account, op, ct);
            }
            case ResizeServerGroup op:
            {
                var account = accounts.Get(op.Account);
                OperationChecks.ServerGroupName(op.ServerGroupName);
                OperationChecks.Capacity(op.Capacity);
                return accounts.ProviderOf(account).ResizeServerGroupAsync(account, op, ct);
            }
            case EnableServerGroup op:
            {
                var account = accounts.Get(op.Account);
                OperationChecks.ServerGroupName(op.ServerGroupName);
                return accounts.ProviderOf(account).EnableServerGroupAsync(account, op, ct);
            }
            case DisableServerGroup op:
            {
                var account = accounts.Get(op.Account);
                OperationChecks.ServerGroupName(op.ServerGroupName);
                return accounts.ProviderOf(account).DisableServerGroupAsync(account, op, ct);
            }
            case DestroyServerGroup op:
            {
                var account = accounts.Get(op.Account);
                OperationChecks.ServerGroupName(op.ServerGroupName);
                return accounts.ProviderOf(account).DestroyServerGroupAsync(account, op, ct);
            }
            case TerminateInstances op:
            {
                var account = accounts.Get(op.Account);
                if (op.InstanceIds is not { Count: > 0 })
                {
                    throw OperationException.Invalid("instanceIds must name at least one instance.");
                }
                return accounts.ProviderOf(account).TerminateInstancesAsync(account, op, ct);
            }
            case UpsertLoadBalancer op:
            {
                var account = accounts.Get(op.Account);
                OperationChecks.LoadBalancerName(op.Name);
                return accounts.ProviderOf(account).UpsertLoadBalancerAsync(account, op, ct);
            }
            case DeleteLoadBalancer op:
            {
                var account = accounts.Get(op.Account);
                OperationChecks.LoadBalancerName(op.Name);
                return accounts.ProviderOf(account).DeleteLoadBalancerAsync(account, op, ct);
            }
            default:
                return providerOperations.FirstOrDefault(p => p.Types.Values.Contains(operation.GetType()))?.RunAsync(operation, ct)
                    ?? throw OperationException.Invalid($"{operation.GetType().Name} is not a clouddriver operation.");
        }
    }

    private static OperationCompleted Completed(IClouddriverOperation operation, JsonObject? result, OperationException? error)
    {
        if (error is not null)
        {
            result = new JsonObject { ["errorKind"] = JsonNamingKind(error.Kind) };
        }
        return new OperationCompleted(operation.OperationId, operation.ExecutionId, operation.StageId, operation.TaskId,
            error is null, error?.Message, (result ?? []).ToJsonString());
    }

    private static string JsonNamingKind(OperationErrorKind kind) => kind switch
    {
        OperationErrorKind.Invalid => "invalid",
        OperationErrorKind.NotFound => "notFound",
        _ => "failed",
    };
}
