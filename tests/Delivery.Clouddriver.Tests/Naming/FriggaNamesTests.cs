using Delivery.Clouddriver.Naming;

namespace Delivery.Clouddriver.Tests.Naming;

public sealed class FriggaNamesTests
{
    [Theory]
    [InlineData("hello-prod-canary-v003", "hello", "prod", "canary", 3, "hello-prod-canary")]
    [InlineData("hello-prod-v000", "hello", "prod", null, 0, "hello-prod")]
    [InlineData("hello-v012", "hello", null, null, 12, "hello")]
    [InlineData("hello--blue-green-v1000", "hello", null, "blue-green", 1000, "hello--blue-green")]
    [InlineData("hello_1.x-web", "hello_1.x", "web", null, null, "hello_1.x-web")]
    [InlineData("hello", "hello", null, null, null, "hello")]
    public void Parses_Frigga_names(string name, string app, string? stack, string? detail, int? sequence, string cluster)
    {
        var moniker = FriggaNames.Parse(name);
        Assert.NotNull(moniker);
        Assert.Equal((app, stack, detail, sequence), (moniker.App, moniker.Stack, moniker.Detail, moniker.Sequence));
        Assert.Equal(cluster, moniker.Cluster);
        if (sequence is not null)
        {
            Assert.Equal(name, moniker.ServerGroup);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("-prod")]
    [InlineData("hello world")]
    [InlineData("hello-pr/od")]
    [InlineData("héllo")]
    public void Rejects_names_that_break_the_rules(string name) => Assert.Null(FriggaNames.Parse(name));

    [Fact]
    public void Builds_cluster_names_and_formats_sequences_in_three_digits_or_more()
    {
        Assert.Equal("app-stack-detail-v007", (FriggaNames.Build("app", "stack", "detail").Moniker! with { Sequence = 7 }).ServerGroup);
        Assert.Equal("app--detail-v123", (FriggaNames.Build("app", null, "detail").Moniker! with { Sequence = 123 }).ServerGroup);
        Assert.Equal("app-v1234", (FriggaNames.Build("app", "", "").Moniker! with { Sequence = 1234 }).ServerGroup);
        Assert.Equal("hello-prod", FriggaNames.ParseServerGroup("hello-prod-v001")!.Cluster);
        Assert.Null(FriggaNames.ParseServerGroup("hello-prod"));
    }

    [Theory]
    [InlineData("my-app", null, null, "application 'my-app'")]
    [InlineData("app", "st-ack", null, "stack 'st-ack'")]
    [InlineData("app", "stack", "de tail", "freeFormDetails 'de tail'")]
    [InlineData(null, null, null, "application is required")]
    public void Says_which_part_breaks_the_rules(string? app, string? stack, string? detail, string error) =>
        Assert.Contains(error, FriggaNames.Build(app, stack, detail).Error);

    [Fact]
    public async Task Sequences_never_repeat_within_a_cluster_and_are_independent_across_clusters()
    {
        var store = new InMemorySequenceStore();
        var first = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => store.NextAsync("local", "app-prod", default)));
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.Equal(0, await store.NextAsync("local", "app-test", default));
        Assert.Equal(0, await store.NextAsync("other", "app-prod", default));
        Assert.Equal(50, await store.NextAsync("local", "app-prod", default));
    }
}
