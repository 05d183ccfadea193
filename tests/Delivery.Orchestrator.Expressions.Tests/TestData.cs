using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Tests;

/// <summary>A root object shaped like the one the engine builds for a stage.</summary>
internal static class TestData
{
    public const string RootJson = """
        {
          "execution": {
            "id": "01HEXEC",
            "application": "myapp",
            "name": "Deploy to prod",
            "status": "RUNNING",
            "stages": [
              {
                "id": "s1", "refId": "1", "type": "bake", "name": "Bake", "status": "SUCCEEDED",
                "context": { "region": "us-east-1", "package": "myapp" },
                "outputs": { "imageId": "ami-123", "deploymentDetails": [ { "imageId": "ami-123", "region": "us-east-1" } ] },
                "startTime": 1000, "endTime": 2000
              },
              {
                "id": "s2", "refId": "2", "type": "wait", "name": "Wait a bit", "status": "SUCCEEDED",
                "context": { "waitTime": 30 }, "outputs": {}, "startTime": 2000, "endTime": 32000
              },
              {
                "id": "s3", "refId": "3", "type": "manualJudgment", "name": "Approve", "status": "SUCCEEDED",
                "context": { "judgmentInput": "Approved", "judgmentStatus": "continue" }, "outputs": {},
                "startTime": 32000, "endTime": 40000
              },
              {
                "id": "s4", "refId": "4", "type": "wait", "name": "Cool down", "status": "NOT_STARTED",
                "context": { "waitTime": 60 }, "outputs": {}, "startTime": null, "endTime": null
              },
              {
                "id": "s5", "refId": "5", "type": "deploy", "name": "Deploy", "status": "RUNNING",
                "context": { "account": "prod", "capacity": { "min": 2, "max": 4 } }, "outputs": {}
              }
            ]
          },
          "trigger": {
            "type": "manual",
            "user": "alice@example.com",
            "parameters": { "env": "prod", "count": "3", "flag": "true" },
            "buildInfo": { "number": 42 }
          },
          "parameters": { "env": "prod", "count": "3", "flag": "true" },
          "region": "us-west-2",
          "replicas": 3,
          "ratio": 0.5,
          "enabled": true,
          "nothing": null,
          "empty": "",
          "tags": [ "a", "b", "c" ],
          "numbers": [ 3, 1, 2 ],
          "labels": { "team": "core", "tier": "backend" }
        }
        """;

    public static JsonObject Root() => JsonNode.Parse(RootJson)!.AsObject();

    /// <summary>
    /// Default limits except a generous timeout, so a descheduled thread on a busy build machine cannot turn a
    /// functional test into a spurious time-limit failure. Tests of the time limit set their own short timeout.
    /// </summary>
    public static ExpressionEvaluator Evaluator() => new(new ExpressionOptions { Timeout = TimeSpan.FromSeconds(10) });

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Compact JSON of a result ("null" for null), for comparing typed results.</summary>
    public static string Json(JsonNode? node) => node?.ToJsonString(Readable) ?? "null";
}
