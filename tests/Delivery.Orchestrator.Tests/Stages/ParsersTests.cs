using System.Text.Json.Nodes;
using Delivery.Orchestrator.Integrations.Jenkins;
using Delivery.Orchestrator.Integrations.Webhooks;
using Delivery.Orchestrator.Abstractions;
using Delivery.Orchestrator.Tasks;

namespace Delivery.Orchestrator.Tests.Stages;

/// <summary>The small readers the stages rely on: JSON paths, Java properties, Spring status names.</summary>
public sealed class ParsersTests
{
    private static readonly JsonNode Body = JsonNode.Parse("""{"a": {"b": [{"c": "first"}, {"c": "last"}]}, "weird key": 7}""")!;

    [Theory]
    [InlineData("$.a.b[0].c", "first")]
    [InlineData("a.b[1].c", "last")]
    [InlineData("$['a']['b'][-1]['c']", "last")]
    [InlineData("$[\"weird key\"]", "7")]
    public void JsonPath_ReadsTheSupportedSubset(string path, string expected)
    {
        Assert.True(JsonPathLite.TryRead(Body, path, out var value, out _));
        Assert.Equal(expected, ContextValues.String(value));
    }

    [Theory]
    [InlineData("$.a.x")]
    [InlineData("$.a.b[5]")]
    [InlineData("$.a.b[*]")]
    [InlineData("$.a..b")]
    public void JsonPath_ReportsMissingOrUnsupportedPaths(string path)
    {
        Assert.False(JsonPathLite.TryRead(Body, path, out _, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void JavaProperties_FollowTheFileFormat()
    {
        var properties = JavaProperties.Parse("# comment\n! also a comment\nkey1=value1\n  key2 : value 2  \nkey3 value3\nmulti = one, \\\n      two\nescaped\\=key=a\\tb\\u0041\nempty=\n");
        Assert.Equal("value1", properties["key1"]);
        Assert.Equal("value 2  ", properties["key2"]);
        Assert.Equal("value3", properties["key3"]);
        Assert.Equal("one, two", properties["multi"]);
        Assert.Equal("a\tbA", properties["escaped=key"]);
        Assert.Equal("", properties["empty"]);
        Assert.Equal(6, properties.Count);
    }

    [Theory]
    [InlineData(200, "OK")]
    [InlineData(201, "CREATED")]
    [InlineData(500, "INTERNAL_SERVER_ERROR")]
    [InlineData(429, "TOO_MANY_REQUESTS")]
    [InlineData(299, "299")]
    public void StatusNames_AreSpringsNames(int code, string name) => Assert.Equal(name, WebhookHttp.StatusName(code));
}
