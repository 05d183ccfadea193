using System.Text.RegularExpressions;
using Delivery.Contracts.Orchestration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Delivery.Gate.Events;

/// <summary>Which events a client of <c>GET /events</c> wants: those of one application and/or one execution (all when neither).</summary>
public sealed partial record EventFilter(string? Application, string? ExecutionId)
{
    private static readonly string[] Parameters = ["application", "executionId"];

    public bool Matches(IExecutionEvent e) =>
        (Application is null || string.Equals(Application, e.Application, StringComparison.OrdinalIgnoreCase))
        && (ExecutionId is null || string.Equals(ExecutionId, e.ExecutionId, StringComparison.Ordinal));

    /// <summary>Reads the query; a 400 problem naming the parameter for an unknown, repeated or malformed one.</summary>
    public static (EventFilter? Filter, ProblemHttpResult? Problem) Parse(IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (!Parameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return (null, Bad($"Unknown query parameter '{name}': /events takes {string.Join(" and ", Parameters)}."));
            }
            if (values.Count != 1)
            {
                return (null, Bad($"'{name}' must be given once."));
            }
            if (!Name().IsMatch(values[0] ?? ""))
            {
                return (null, Bad($"'{name}' must be 1 to 128 letters, digits, '.', '_' or '-', not '{Truncate(values[0])}'."));
            }
        }
        return (new EventFilter(Value(query, "application"), Value(query, "executionId")), null);
    }

    /// <summary>The <c>Last-Event-ID</c> header: empty or absent for none, at most 256 characters.</summary>
    public static (string? LastEventId, ProblemHttpResult? Problem) ParseLastEventId(IHeaderDictionary headers)
    {
        var values = headers["Last-Event-ID"];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return (null, null);
        }
        return values.Count > 1 || values[0]!.Length > 256
            ? (null, Bad("'Last-Event-ID' must be one event id of at most 256 characters, as sent in an event's 'id:' line."))
            : (values[0], null);
    }

    private static string? Value(IQueryCollection query, string name) => query.TryGetValue(name, out var v) ? v[0] : null;

    private static string Truncate(string? value) => value is { Length: > 40 } ? value[..40] + "..." : value ?? "";

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex Name();
}
