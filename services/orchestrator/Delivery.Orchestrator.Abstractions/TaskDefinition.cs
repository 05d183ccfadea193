namespace Delivery.Orchestrator.Abstractions;

/// <summary>One task of a stage's plan.</summary>
/// <param name="Name">The task's name as shown in the execution (e.g. <c>monitorDeploy</c>).</param>
/// <param name="ImplementingClass">The <see cref="IStageTask.Name"/> of the task that runs it.</param>
public sealed record TaskDefinition(string Name, string ImplementingClass);
