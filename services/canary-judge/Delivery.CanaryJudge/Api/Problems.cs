using Delivery.CanaryJudge.Configs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Delivery.CanaryJudge.Api;

/// <summary>The judge's 4xx answers.</summary>
internal static class Problems
{
    /// <summary>A 400 validation problem whose detail names every bad field and whose <c>errors</c> map them.</summary>
    public static ValidationProblem Invalid(string what, ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: $"{what} is invalid. {errors.Describe()}", title: $"{what} is invalid.");

    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict);
}
