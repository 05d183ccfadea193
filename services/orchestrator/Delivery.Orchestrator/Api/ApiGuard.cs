using System.Text.Json;
using Delivery.Contracts.Api;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Delivery.Orchestrator.Api;

/// <summary>
/// Answers a gate request with what its handler returns. Input that slips past validation and makes
/// the handler throw is answered at once with a 400 that says why, instead of going through the
/// bus's retries (meant for a store outage) while gate waits and a consumer slot stays taken.
/// </summary>
public static class ApiGuard
{
    public static async Task RespondAsync(ConsumeContext context, ILogger logger, string what, Func<Task<ApiReply>> handle) =>
        await context.RespondAsync(await AnswerAsync(logger, what, handle));

    /// <summary>What <paramref name="handle"/> answers, or a 400 naming the input error it threw; other exceptions propagate.</summary>
    public static async Task<ApiReply> AnswerAsync(ILogger logger, string what, Func<Task<ApiReply>> handle)
    {
        try
        {
            return await handle();
        }
        catch (Exception e) when (IsInputError(e))
        {
            logger.LogWarning(e, "{What} could not be processed: {Reason}", what, e.Message);
            return ApiReply.Invalid($"{what} could not be processed: {e.Message}");
        }
    }

    /// <summary>Exceptions that come from the shape of the request's JSON, and would throw again on every retry.</summary>
    public static bool IsInputError(Exception e) => e is not ObjectDisposedException
        and (JsonException or InvalidOperationException or ArgumentException or FormatException
            or KeyNotFoundException or InvalidCastException or IndexOutOfRangeException or OverflowException);
}
