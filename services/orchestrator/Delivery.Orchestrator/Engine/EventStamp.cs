using Delivery.Contracts.Orchestration;

namespace Delivery.Orchestrator.Engine;

/// <summary>What an event of one save carries besides its content: see <see cref="IExecutionEvent"/>.</summary>
public readonly record struct EventStamp(string EventId, long Version, long Sequence, long Time);
