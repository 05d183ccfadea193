using Delivery.Contracts;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine.Views;

internal sealed class TaskReadView(TaskExecution task) : ITaskView
{
    public string Id => task.Id;
    public string Name => task.Name;
    public string ImplementingClass => task.ImplementingClass;
    public ExecutionStatus Status => task.Status;
    public long? StartTime => task.StartTime;
    public long? EndTime => task.EndTime;
    public long PausedMs => task.PausedMs;
}
