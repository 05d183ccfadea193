namespace Delivery.Orchestrator.TestPlugin;

/// <summary>A command the plug-in deliberately never registers with <c>AddTaskMessage</c>.</summary>
public sealed record UnregisteredCommand(string ExecutionId);
