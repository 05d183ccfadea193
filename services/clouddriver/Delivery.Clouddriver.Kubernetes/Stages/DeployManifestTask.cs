using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Contracts;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;
using MassTransit;

namespace Delivery.Clouddriver.Kubernetes.Stages;

/// <summary>
/// <c>deployManifest</c>'s task (Orca's DeployManifestStage with its wait): <c>account</c>, <c>manifests</c> (inline),
/// <c>moniker</c> {app, cluster, stack, detail}, <c>namespaceOverride</c>, <c>trafficManagement</c> {enabled, options
/// {enableTraffic, services, strategy}}. Succeeds once every manifest is stable.
/// </summary>
internal sealed class DeployManifestTask(IBus bus) : ManifestTask(bus)
{
    public override string Name => "deployManifestTask";

    protected override (IClouddriverOperation, string) Plan(JsonObject context, string operationId, TaskContext task)
    {
        if (context["source"]?.GetValue<string>() is { } source && source != "text")
        {
            throw new StageInputException($"Manifests from source '{source}' are not supported; give them inline (source: text).");
        }
        var manifests = context["manifests"] as JsonArray ?? throw new StageInputException("manifests (a list of manifests) is required.");
        var moniker = context["moniker"] is JsonObject m
            ? new ManifestMoniker(ContextValues.String(m["app"]), ContextValues.String(m["cluster"]), ContextValues.String(m["stack"]), ContextValues.String(m["detail"]))
            : new ManifestMoniker(task.Execution.Application);
        TrafficManagement? traffic = null;
        if (context["trafficManagement"] is JsonObject t)
        {
            try
            {
                traffic = t.Deserialize<TrafficManagement>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
            }
            catch (JsonException e)
            {
                throw new StageInputException($"trafficManagement is malformed: {e.Message}");
            }
        }
        var command = new DeployManifest(operationId, Account(context), (JsonArray)manifests.DeepClone(), moniker with { App = moniker.App ?? task.Execution.Application },
            OptionalText(context, "namespaceOverride"), traffic, task.Execution.Id, task.Stage.Id, task.Task.Id);
        return (command, $"deploying {manifests.Count} manifest(s) until stable");
    }
}
