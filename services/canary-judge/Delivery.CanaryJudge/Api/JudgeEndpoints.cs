using Delivery.ServiceDefaults.Http;
using System.Text;
using System.Text.Json;
using Delivery.CanaryJudge.Configs;
using Delivery.CanaryJudge.Judge;
using Delivery.CanaryJudge.Reports;
using Delivery.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Api;

/// <summary>
/// <c>POST /v2/canaries/judge</c> judges metric sets against a canary config and stores the report;
/// <c>GET /v2/canaries/{id}</c> returns a stored report.
/// </summary>
public static class JudgeEndpoints
{
    public static IEndpointRouteBuilder MapJudgeEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v2/canaries").WithTags("canaries");
        group.MapPost("/judge", Judge);
        group.MapGet("/{id}", GetReport);
        return routes;
    }

    private static async Task<Results<Ok<CanaryJudgement>, ValidationProblem, ProblemHttpResult>> Judge(
        HttpRequest request, NetflixAcaJudge judge, ICanaryConfigStore configs, ICanaryReportStore reports,
        IOptions<CanaryJudgeOptions> options, TimeProvider clock)
    {
        var (body, problem) = await BoundedRequestBody.ReadAsync(request, options.Value.MaxJudgeBodyBytes);
        if (body is null)
        {
            return problem!;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, StrictJson.Options);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"The judge request is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problems.BadRequest("The judge request must be a JSON object {canaryConfig, metricSets, scoreThresholds}.");
            }
            string? configId = null;
            System.Text.Json.Nodes.JsonObject? stored = null;
            if (root.TryGetProperty("canaryConfigId", out var idElement))
            {
                configId = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
                stored = configId is null ? null : await configs.GetAsync(configId);
                if (stored is null)
                {
                    return Problems.BadRequest($"canaryConfigId: no canary config has id {idElement.GetRawText()}.");
                }
            }
            var errors = new ValidationErrors();
            if (JudgeRequestReader.Read(root, stored, options.Value, errors) is not { } judgeRequest)
            {
                return Problems.Invalid("The judge request", errors);
            }
            var id = Guid.NewGuid().ToString("N");
            var judgement = judge.Judge(judgeRequest.Config, judgeRequest.MetricSets, judgeRequest.Thresholds) with { Id = id };
            var report = new CanaryReport(id, clock.GetUtcNow(), configId, judgeRequest.Config.Name, judgeRequest.Thresholds, judgement,
                [.. judgeRequest.MetricSets.Select(s => new ReportedMetricSet(s.Name, ReportedMetricSet.Points(s.Control), ReportedMetricSet.Points(s.Experiment)))]);
            await reports.SaveAsync(id, CanaryReportJson.Serialize(report, options.Value.MaxReportBytes));
            return TypedResults.Ok(judgement);
        }
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetReport(ICanaryReportStore reports, string id) =>
        await reports.GetAsync(id) is { } json
            ? TypedResults.Content(json, "application/json", Encoding.UTF8)
            : Problems.NotFound($"No canary judgement report has id '{id}' (reports expire).");
}
