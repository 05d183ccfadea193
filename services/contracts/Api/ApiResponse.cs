namespace Delivery.Contracts.Api;

/// <summary>
/// The answer to every gate request: an HTTP-like status, a JSON body on success, and a
/// human-readable detail on failure (gate turns it into problem+json).
/// </summary>
public sealed record ApiResponse(int Status, string? Json, string? Detail)
{
    /// <summary>A 200 with a JSON body.</summary>
    public static ApiResponse Ok(string json) => new(200, json, null);

    /// <summary>A failure with a status and an explanation.</summary>
    public static ApiResponse Problem(int status, string detail) => new(status, null, detail);

    /// <summary>True for a 2xx status.</summary>
    public bool IsSuccess => Status is >= 200 and < 300;
}
