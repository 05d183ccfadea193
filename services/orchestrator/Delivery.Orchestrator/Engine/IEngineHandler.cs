namespace Delivery.Orchestrator.Engine;

/// <summary>Applies one engine message to the execution held by the frame.</summary>
public interface IEngineHandler<in T>
{
    ValueTask HandleAsync(T message, ExecutionFrame frame, CancellationToken cancellationToken);
}
