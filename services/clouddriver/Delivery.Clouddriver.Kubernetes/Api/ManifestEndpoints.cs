using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Accounts;
using Delivery.Clouddriver.Kubernetes.Manifests;
using Delivery.Clouddriver.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Delivery.Clouddriver.Kubernetes.Api;

/// <summary>
/// <c>GET /manifests/{account}/{namespace}/{kind name}</c> (Clouddriver's ManifestController): the live manifest, its
/// stability, the artifacts it uses (<see cref="ManifestArtifacts.Used"/>) and the namespace's events about it (newest last,
/// at most <see cref="MaxEvents"/>).
/// </summary>
public static class ManifestEndpoints
{
    public const int MaxEvents = 50;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/manifests/{account}/{ns}/{name}", GetAsync);

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetAsync(string account, string ns, string name, KubernetesAccounts accounts, CancellationToken cancellationToken)
    {
        if (accounts.Find(account) is not { } found)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"Unknown Kubernetes account '{account}'.");
        }
        if (!found.Allows(ns))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"Account '{account}' does not use namespace '{ns}'.");
        }
        try
        {
            var (apiVersion, kindName, objectName) = ManifestNames.Parse(name);
            var api = found.RequireApi();
            var kind = await api.ResolveAsync(apiVersion, kindName, cancellationToken);
            var live = await api.GetAsync(kind, kind.Namespaced ? ns : null, objectName, cancellationToken);
            if (live is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"{name} does not exist in namespace {ns} of account {account}.");
            }
            var status = Stability.Of(live);
            var events = await api.ResolveAsync("v1", "Event", cancellationToken);
            var uid = live["metadata"]!["uid"]!.GetValue<string>();
            var about = (await api.ListAsync(events, ns, null, cancellationToken)).Items
                .Where(e => e["involvedObject"]?["uid"]?.GetValue<string>() == uid
                    || (e["involvedObject"]?["kind"]?.GetValue<string>() == kindName && e["involvedObject"]?["name"]?.GetValue<string>() == objectName))
                .TakeLast(MaxEvents);
            return TypedResults.Ok(new JsonObject
            {
                ["account"] = account, ["location"] = ns, ["name"] = name, ["kind"] = kindName,
                ["manifest"] = live,
                ["status"] = new JsonObject { ["stable"] = status.Stable, ["failed"] = status.Failed, ["paused"] = status.Paused, ["reason"] = status.Reason },
                ["artifacts"] = ManifestArtifacts.Used(live),
                ["events"] = new JsonArray([.. about]),
            });
        }
        catch (OperationException e)
        {
            return TypedResults.Problem(statusCode: e.Kind == OperationErrorKind.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status503ServiceUnavailable, detail: e.Message);
        }
        catch (KubeApiException e)
        {
            return TypedResults.Problem(statusCode: e.Status == 404 ? StatusCodes.Status404NotFound : StatusCodes.Status502BadGateway, detail: e.Message);
        }
    }
}
