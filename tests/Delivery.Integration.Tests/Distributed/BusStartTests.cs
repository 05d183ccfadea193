using Delivery.Integration.Tests.Infrastructure;

namespace Delivery.Integration.Tests.Distributed;

/// <summary>
/// A replica whose message bus cannot start (no broker where it is told to look) does not linger unready: it exits
/// with code 1 after <c>Delivery:Bus:StartTimeoutSeconds</c>, for its supervisor to start it again.
/// </summary>
public sealed class BusStartTests
{
    [Fact]
    public async Task A_replica_whose_bus_cannot_start_exits_for_its_supervisor()
    {
        var logs = Machine.TempDirectory("bus-start");
        try
        {
            await using var process = StandaloneProcess.Start("no-broker", new Dictionary<string, string>
            {
                ["Delivery:Bus:Transport"] = "RabbitMq",
                ["Delivery:Bus:Host"] = "127.0.0.1",
                // A free port: nothing listens there.
                ["Delivery:Bus:Port"] = Machine.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Delivery:Bus:StartTimeoutSeconds"] = "3",
            }, logs);

            Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(90)), $"the replica still runs:\n{process.Tail()}");
            Assert.Equal(1, process.ExitCode);
            Assert.Contains("did not start within 3 s", process.Tail(200), StringComparison.Ordinal);
        }
        finally
        {
            Machine.DeleteDirectory(logs);
        }
    }
}
