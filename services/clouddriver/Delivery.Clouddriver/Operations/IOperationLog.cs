using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Operations;

/// <summary>
/// Operations by id: who runs one now (a claim, a lease its runner renews) and the results of finished ones, so that a
/// redelivered or duplicated command is answered with the first result and never run twice, and a run whose replica died
/// is taken over once its claim lapses.
/// </summary>
public interface IOperationLog
{
    Task<OperationCompleted?> FindAsync(string operationId, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically: the result when the operation finished; else a claim for <paramref name="owner"/> (new, or its own
    /// renewed) lasting <paramref name="lease"/>; else the owner of the live claim of another replica.
    /// </summary>
    Task<OperationClaim> ClaimAsync(string operationId, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends <paramref name="owner"/>'s claim; false when it no longer holds it (it lapsed and another replica took it).</summary>
    Task<bool> RenewAsync(string operationId, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the result for <paramref name="retention"/> and ends <paramref name="owner"/>'s claim. When a result is stored already (a run taken
    /// over from this one finished first) that one is kept and returned, so every answer for an id is the same.
    /// </summary>
    Task<OperationCompleted> SaveAsync(OperationCompleted completed, string owner, TimeSpan retention, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IOperationLog.ClaimAsync"/> found: exactly one of the three is set.</summary>
/// <param name="Claimed">The caller holds the claim and runs the operation.</param>
/// <param name="Completed">The operation finished with this result.</param>
/// <param name="HeldBy">Another replica runs it now.</param>
public sealed record OperationClaim(bool Claimed, OperationCompleted? Completed, string? HeldBy);
