using System.Text.Json.Nodes;

namespace Delivery.KubernetesTestServer.Json;

/// <summary>A failure as the API server answers it: a <c>meta/v1 Status</c> with the HTTP code and its reason.</summary>
public sealed class ApiStatusException(int code, string reason, string message, JsonArray? causes = null) : Exception(message)
{
    public int Code => code;

    public string Reason => reason;

    /// <summary>The <c>Status</c> object.</summary>
    public JsonObject ToStatus() => Status(code, reason, Message, causes);

    public static JsonObject Status(int code, string reason, string message, JsonArray? causes = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(),
            ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code,
        };
        if (causes is not null)
        {
            status["details"] = new JsonObject { ["causes"] = causes };
        }
        return status;
    }

    public static ApiStatusException NotFound(string qualified, string name) => new(404, "NotFound", $"{qualified} \"{name}\" not found");

    public static ApiStatusException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiStatusException Invalid(string message) => new(422, "Invalid", message);

    public static ApiStatusException Conflict(string message, JsonArray? causes = null) => new(409, "Conflict", message, causes);
}
