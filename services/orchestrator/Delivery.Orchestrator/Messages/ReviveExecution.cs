namespace Delivery.Orchestrator.Messages;

/// <summary>
/// Re-drive a RUNNING execution that has had nothing in flight for a while (a zombie): send again what its state says
/// must come next, or end it TERMINAL when nothing can. Sent by the <see cref="Engine.ZombieSweeper"/> only.
/// </summary>
public sealed record ReviveExecution(string ExecutionId);
