namespace Delivery.Orchestrator.Abstractions;

/// <summary>
/// A message type that tasks (<see cref="TaskResult.Messages"/>) and stage types (<see cref="IStageDefinition.OnCancel"/>)
/// may publish, added by <see cref="OrchestratorServiceCollectionExtensions.AddTaskMessage{TMessage}"/>. The engine keeps
/// such messages in its outbox until they are sent, and reads back only registered types.
/// </summary>
/// <param name="MessageType">The message type.</param>
public sealed record TaskMessageType(Type MessageType);
