using Delivery.ServiceDefaults.Http;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Delivery.CanaryJudge.Configs;
using Delivery.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Api;

/// <summary>
/// Kayenta's canary config API as gate exposes it (<c>/v2/canaryConfig</c>, Kayenta's
/// <c>CanaryConfigController</c>): list, read, create, update, delete. Configs are validated before
/// they are stored; the id, timestamps and their ISO forms are set as Kayenta sets them.
/// </summary>
public static partial class CanaryConfigEndpoints
{
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex IdPattern();

    public static IEndpointRouteBuilder MapCanaryConfigEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v2/canaryConfig").WithTags("canaryConfig");
        group.MapGet("/", List);
        group.MapGet("/{id}", Get);
        group.MapPost("/", Create);
        group.MapPut("/{id}", Update);
        group.MapDelete("/{id}", Delete);
        return routes;
    }

    private static async Task<Ok<List<CanaryConfigSummary>>> List(ICanaryConfigStore store, string? application)
    {
        var summaries = new List<CanaryConfigSummary>();
        foreach (var config in await store.ListAsync())
        {
            var applications = config["applications"] is JsonArray apps
                ? apps.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null).OfType<string>().ToList()
                : [];
            if (application is null || applications.Contains(application, StringComparer.Ordinal))
            {
                summaries.Add(new CanaryConfigSummary(
                    Text(config, "id") ?? "", Text(config, "name"),
                    Millis(config, "updatedTimestamp"),
                    Text(config, "updatedTimestampIso"), applications));
            }
        }
        return TypedResults.Ok(summaries);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Get(ICanaryConfigStore store, string id) =>
        await store.GetAsync(id) is { } config
            ? TypedResults.Content(config.ToJsonString(), "application/json", Encoding.UTF8)
            : Problems.NotFound($"No canary config has id '{id}'.");

    private static async Task<Results<Ok<CanaryConfigUpdateResponse>, ValidationProblem, ProblemHttpResult>> Create(
        HttpRequest request, ICanaryConfigStore store, IOptions<CanaryJudgeOptions> options, TimeProvider clock)
    {
        var (config, problem, invalid) = await ReadConfigAsync(request, options.Value);
        if (config is null)
        {
            return invalid is not null ? invalid : problem!;
        }
        var id = Text(config, "id") is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
        if (!IdPattern().IsMatch(id))
        {
            return Problems.BadRequest($"id: '{id}' may contain only letters, digits, '.', '-' and '_' (at most 128).");
        }
        if (await store.CountAsync() >= options.Value.MaxConfigs)
        {
            return Problems.Conflict($"The canary judge already holds {options.Value.MaxConfigs} canary configs; delete one first.");
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var created = Millis(config, "createdTimestamp") ?? now;
        Stamp(config, id, created, now);
        return await store.CreateAsync(id, config)
            ? TypedResults.Ok(new CanaryConfigUpdateResponse(id))
            : Problems.Conflict($"Canary config '{id}' already exists; update it with PUT /v2/canaryConfig/{id}.");
    }

    private static async Task<Results<Ok<CanaryConfigUpdateResponse>, ValidationProblem, ProblemHttpResult>> Update(
        HttpRequest request, string id, ICanaryConfigStore store, IOptions<CanaryJudgeOptions> options, TimeProvider clock)
    {
        var (config, problem, invalid) = await ReadConfigAsync(request, options.Value);
        if (config is null)
        {
            return invalid is not null ? invalid : problem!;
        }
        if (await store.GetAsync(id) is not { } existing)
        {
            return Problems.NotFound($"No canary config has id '{id}'; create it with POST /v2/canaryConfig.");
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var created = Millis(existing, "createdTimestamp") ?? now;
        Stamp(config, id, created, now);
        return await store.UpdateAsync(id, config)
            ? TypedResults.Ok(new CanaryConfigUpdateResponse(id))
            : Problems.NotFound($"No canary config has id '{id}'.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(ICanaryConfigStore store, string id) =>
        await store.DeleteAsync(id) ? TypedResults.NoContent() : Problems.NotFound($"No canary config has id '{id}'.");

    private static async Task<(JsonObject? Config, ProblemHttpResult? Problem, ValidationProblem? Invalid)> ReadConfigAsync(HttpRequest request, CanaryJudgeOptions options)
    {
        var (body, problem) = await BoundedRequestBody.ReadAsync(request, options.MaxConfigBodyBytes);
        if (body is null)
        {
            return (null, problem, null);
        }
        var (config, error) = StrictJson.ParseObject(Encoding.UTF8.GetString(body), "The canary config");
        if (config is null)
        {
            return (null, Problems.BadRequest(error!), null);
        }
        var errors = new ValidationErrors();
        CanaryConfigReader.Read(config, "", requireName: true, errors);
        if (config["metrics"] is JsonArray metrics && metrics.Count > options.MaxMetrics)
        {
            errors.Add("metrics", $"has {metrics.Count} metrics; at most {options.MaxMetrics} are allowed.");
        }
        return errors.IsEmpty ? (config, null, null) : (null, null, Problems.Invalid("The canary config", errors));
    }

    private static void Stamp(JsonObject config, string id, long created, long updated)
    {
        config["id"] = id;
        config["createdTimestamp"] = created;
        config["createdTimestampIso"] = Iso(created);
        config["updatedTimestamp"] = updated;
        config["updatedTimestampIso"] = Iso(updated);
    }

    private static string Iso(long millis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static long? Millis(JsonObject config, string name) =>
        config[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var millis)
            && millis is >= 0 and <= 253_402_300_799_999 ? millis : null;

    private static string? Text(JsonObject config, string name) =>
        config[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
