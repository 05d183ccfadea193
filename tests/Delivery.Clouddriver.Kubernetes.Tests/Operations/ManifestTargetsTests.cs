using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Operations;
using Delivery.Clouddriver.Operations;

namespace Delivery.Clouddriver.Kubernetes.Tests.Operations;

/// <summary>Spinnaker's label selectors as Kubernetes label selector strings, and the refusals of bad ones.</summary>
public sealed class ManifestTargetsTests
{
    [Fact]
    public void Each_selector_kind_becomes_its_kubernetes_term()
    {
        var selectors = JsonNode.Parse("""
            [{"kind":"EQUALS","key":"app","values":["web"]},{"kind":"NOT_EQUALS","key":"tier","values":["db"]},
             {"kind":"CONTAINS","key":"track","values":["canary","stable"]},{"kind":"NOT_CONTAINS","key":"env","values":["dev"]},
             {"kind":"EXISTS","key":"example.com/owner","values":[]},{"kind":"NOT_EXISTS","key":"legacy"}]
            """)!.AsArray();
        Assert.Equal("app=web,tier!=db,track in (canary,stable),env notin (dev),example.com/owner,!legacy", ManifestTargets.Selector(selectors));
    }

    [Theory]
    [InlineData("[]", "at least one selector")]
    [InlineData("[{\"kind\":\"EQUALS\",\"key\":\"app\",\"values\":[\"a\",\"b\"]}]", "is not supported")]
    [InlineData("[{\"kind\":\"MATCHES\",\"key\":\"app\",\"values\":[\"a\"]}]", "is not supported")]
    [InlineData("[{\"kind\":\"EQUALS\",\"key\":\"app,x\",\"values\":[\"a\"]}]", "not valid label keys")]
    [InlineData("[{\"kind\":\"EQUALS\",\"key\":\"app\",\"values\":[\"a)\"]}]", "not valid label keys")]
    public void A_bad_selector_is_invalid_input(string selectors, string error)
    {
        var e = Assert.Throws<OperationException>(() => ManifestTargets.Selector(JsonNode.Parse(selectors)!.AsArray()));
        Assert.Equal(OperationErrorKind.Invalid, e.Kind);
        Assert.Contains(error, e.Message);
    }
}
