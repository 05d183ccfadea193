using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Naming;
using Delivery.Clouddriver.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Delivery.Clouddriver.Api;

/// <summary>
/// The read API (Spinnaker clouddriver's shapes): accounts, and an application's clusters, server
/// groups and load balancers over every account, plus an instance's console output.
/// </summary>
public static class InventoryEndpoints
{
    public static IEndpointRouteBuilder MapInventoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/credentials", (AccountRegistry accounts) =>
            TypedResults.Ok(accounts.Accounts.Select(a =>
            {
                var provider = accounts.ProviderOf(a);
                var details = provider.Describe(a);
                return new AccountView(a.Name, a.CloudProvider, a.CloudProvider, provider.IsHealthy(a), details?.Namespaces, details?.Kinds, details?.UnhealthyReason);
            }).ToList()));

        var applications = app.MapGroup("/applications/{application}");
        applications.MapGet("/clusters", Results<Ok<Dictionary<string, List<string>>>, ProblemHttpResult> (string application, AccountRegistry accounts) =>
        {
            if (BadApplication(application) is { } problem)
            {
                return problem;
            }
            // As Spinnaker: account name -> the application's cluster names in it.
            return TypedResults.Ok(accounts.Accounts
                .Select(a => (a.Name, Clusters: accounts.ProviderOf(a).ServerGroups(a, application).Select(g => g.Cluster).Distinct().ToList()))
                .Where(a => a.Clusters.Count > 0)
                .ToDictionary(a => a.Name, a => a.Clusters));
        });
        applications.MapGet("/serverGroups", Results<Ok<List<ServerGroupView>>, ProblemHttpResult> (string application, AccountRegistry accounts) =>
            BadApplication(application) is { } problem
                ? problem
                : TypedResults.Ok(accounts.Accounts.SelectMany(a => accounts.ProviderOf(a).ServerGroups(a, application)).ToList()));
        applications.MapGet("/loadBalancers", Results<Ok<List<LoadBalancerView>>, ProblemHttpResult> (string application, AccountRegistry accounts) =>
            BadApplication(application) is { } problem
                ? problem
                : TypedResults.Ok(accounts.Accounts.SelectMany(a => accounts.ProviderOf(a).LoadBalancers(a, application)).ToList()));

        app.MapGet("/instances/{account}/{instanceId}/console", Results<Ok<ConsoleOutputView>, ProblemHttpResult> (string account, string instanceId, AccountRegistry accounts) =>
        {
            if (!accounts.TryGet(account, out var found))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"Unknown account '{account}'.");
            }
            return accounts.ProviderOf(found).ConsoleOutput(found, instanceId) is { } output
                ? TypedResults.Ok(output)
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"Instance '{instanceId}' does not exist in account '{account}'.");
        });
        return app;
    }

    private static ProblemHttpResult? BadApplication(string application) =>
        FriggaNames.Build(application, null, null).Error is { } error
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: error)
            : null;
}

/// <summary>An account as <c>GET /credentials</c> lists it; the last three only where its provider has them.</summary>
public sealed record AccountView(string Name, string Type, string CloudProvider, bool Healthy,
    IReadOnlyList<string>? Namespaces = null, IReadOnlyList<string>? Kinds = null, string? UnhealthyReason = null);
