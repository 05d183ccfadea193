using Delivery.Clouddriver.Local;

namespace Delivery.Clouddriver.Tests.Local;

/// <summary>How a balancer splits traffic; instances are not needed to run for the arithmetic, so the lists are empty placeholders sized by count.</summary>
public sealed class TrafficTableTests
{
    private static (string, IReadOnlyList<LocalInstance>) Group(string name, int up) => (name, Enumerable.Repeat<LocalInstance>(null!, up).ToList());

    [Fact]
    public void Without_weights_each_server_group_gets_traffic_by_its_Up_instances()
    {
        var table = TrafficTable.Build([Group("app-v000", 3), Group("app-v001", 1), Group("app-v002", 0)], null);
        Assert.Equal(75, table.PercentOf("app-v000"));
        Assert.Equal(25, table.PercentOf("app-v001"));
        Assert.Equal(0, table.PercentOf("app-v002"));
    }

    [Fact]
    public void Named_weights_are_percents_and_the_others_share_the_rest_by_Up_instances()
    {
        var table = TrafficTable.Build([Group("app-v000", 2), Group("app-v001", 1), Group("app-v002", 3)], new Dictionary<string, int> { ["app-v001"] = 10 });
        Assert.Equal(10, table.PercentOf("app-v001"), 6);
        Assert.Equal(36, table.PercentOf("app-v000"), 6);
        Assert.Equal(54, table.PercentOf("app-v002"), 6);
    }

    [Fact]
    public void A_weighted_group_without_Up_instances_gives_its_share_away_rather_than_failing_requests()
    {
        var table = TrafficTable.Build([Group("app-v000", 2), Group("app-v001", 0)], new Dictionary<string, int> { ["app-v001"] = 100 });
        Assert.Equal(100, table.PercentOf("app-v000"));
        Assert.Null(TrafficTable.Build([Group("app-v000", 0)], null).Pick(null));
    }
}
