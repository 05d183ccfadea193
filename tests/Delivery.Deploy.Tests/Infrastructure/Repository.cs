using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Delivery.Deploy.Tests.Infrastructure;

/// <summary>Paths of the checkout under test, and free loopback ports.</summary>
public static class Repository
{
    /// <summary>The repository root (the folder of Delivery.sln above the test's output).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration this test was built with (the hosts were built with it too).</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    /// <summary>Ports nobody listens on now (each from its own ephemeral bind, so distinct).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Delivery.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Delivery.sln above {AppContext.BaseDirectory}.");
    }
}
