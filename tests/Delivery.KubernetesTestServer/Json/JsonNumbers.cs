using System.Globalization;
using System.Text.Json.Nodes;

namespace Delivery.KubernetesTestServer.Json;

/// <summary>Whole numbers from JSON nodes whatever .NET type backs them (parsed, from YAML, or set in code).</summary>
internal static class JsonNumbers
{
    public static long AsLong(this JsonNode node) => long.Parse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static int AsInt(this JsonNode node) => checked((int)node.AsLong());
}
