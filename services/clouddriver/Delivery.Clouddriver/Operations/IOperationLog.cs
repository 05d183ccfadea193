using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Operations;

/// <summary>Finished operations by id, so a redelivered command is answered, not run again.</summary>
public interface IOperationLog
{
    Task<OperationCompleted?> FindAsync(string operationId, CancellationToken cancellationToken);

    /// <summary>Keeps the result for <paramref name="retention"/>.</summary>
    Task SaveAsync(OperationCompleted completed, TimeSpan retention, CancellationToken cancellationToken);
}
