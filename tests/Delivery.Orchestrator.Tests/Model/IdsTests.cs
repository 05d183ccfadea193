using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Tests.Model;

public sealed class IdsTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void UlidFrom_SameTimeAndSeed_GivesTheSameId()
    {
        var seed = Guid.NewGuid();

        Assert.Equal(Ids.UlidFrom(Time, seed), Ids.UlidFrom(Time, seed));
        Assert.NotEqual(Ids.UlidFrom(Time, seed), Ids.UlidFrom(Time, Guid.NewGuid()));
    }

    [Fact]
    public void UlidFrom_LaterWithinTheSameMillisecond_SortsAfter()
    {
        for (var i = 0; i < 100; i++)
        {
            var earlier = Ids.UlidFrom(Time.AddTicks(i * 99), Guid.NewGuid());
            var later = Ids.UlidFrom(Time.AddTicks(i * 99 + 1), Guid.NewGuid());

            Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} should sort before {later}");
        }
    }

    [Fact]
    public void NewUlid_IsTwentySixCrockfordCharacters()
    {
        var id = Ids.NewUlid();

        Assert.Equal(26, id.Length);
        Assert.All(id, c => Assert.Contains(c, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"));
    }
}
