namespace Delivery.Contracts.Api;

/// <summary>
/// The answer to every API request a service handles for gate: what came of it, a JSON body when
/// there is one, and a human-readable detail when it was refused. It carries a result, not an HTTP
/// status: gate maps <see cref="Outcome"/> to one (and a refusal to problem+json).
/// </summary>
public sealed record ApiReply(ApiOutcome Outcome, string? Json, string? Detail)
{
    /// <summary>Done; <paramref name="json"/> is the result.</summary>
    public static ApiReply Ok(string json) => new(ApiOutcome.Ok, json, null);

    /// <summary>Taken on, to be carried out after the reply (a triggered pipeline); <paramref name="json"/> says where to look.</summary>
    public static ApiReply Accepted(string json) => new(ApiOutcome.Accepted, json, null);

    /// <summary>Done, with nothing to return (a deletion).</summary>
    public static ApiReply Done() => new(ApiOutcome.Done, null, null);

    /// <summary>Refused: the request itself is wrong; <paramref name="detail"/> says how.</summary>
    public static ApiReply Invalid(string detail) => new(ApiOutcome.Invalid, null, detail);

    /// <summary>Refused: the request is wrong; <paramref name="errors"/> says where, as <see cref="Errors"/>.</summary>
    public static ApiReply Invalid(string detail, IReadOnlyDictionary<string, string[]> errors) => new(ApiOutcome.Invalid, null, detail) { Errors = errors };

    /// <summary>Refused: what the request names does not exist.</summary>
    public static ApiReply NotFound(string detail) => new(ApiOutcome.NotFound, null, detail);

    /// <summary>Refused: the request is well formed but the thing it names is not in a state that allows it.</summary>
    public static ApiReply Conflict(string detail) => new(ApiOutcome.Conflict, null, detail);

    /// <summary>
    /// For a refusal of a document, the messages per field, keyed by the field's JSON path in the request
    /// (<c>stages[2].waitTime</c>) as ASP.NET's ValidationProblemDetails keys its <c>errors</c>; null when no field is named.
    /// </summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>True when the request was carried out or taken on.</summary>
    public bool IsSuccess => Outcome is ApiOutcome.Ok or ApiOutcome.Accepted or ApiOutcome.Done;
}

/// <summary>What came of an API request (see <see cref="ApiReply"/>).</summary>
public enum ApiOutcome
{
    /// <summary>Done, with a result.</summary>
    Ok,

    /// <summary>Taken on; it goes on after the reply.</summary>
    Accepted,

    /// <summary>Done, with no result.</summary>
    Done,

    /// <summary>The request is malformed or breaks a rule.</summary>
    Invalid,

    /// <summary>What the request names does not exist.</summary>
    NotFound,

    /// <summary>The target's state does not allow the request.</summary>
    Conflict,
}
