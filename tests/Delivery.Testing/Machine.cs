using System.Net;
using System.Net.Sockets;

namespace Delivery.Testing;

/// <summary>Server binaries, free ports and scratch directories of the machine the tests run on.</summary>
public static class Machine
{
    /// <summary>How to install every server binary a Delivery test starts (Debian packages, as .ci/run does).</summary>
    public const string InstallHint = "Install the servers the tests start: apt-get install -y redis-server rabbitmq-server prometheus";

    private static readonly HashSet<int> Handed = [];
    private static readonly Lock PortLock = new();

    /// <summary>The first candidate path that exists, else <paramref name="name"/> found on PATH (or in /usr/sbin, /sbin, /usr/bin).</summary>
    /// <exception cref="InvalidOperationException">Nowhere to be found; the message names the places looked in and <see cref="InstallHint"/>.</exception>
    public static string Require(string name, params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return FindOnPath(name) ?? throw new InvalidOperationException($"'{name}' was not found (looked in {string.Join(", ", candidates.Append("PATH"))}). {InstallHint}");
    }

    /// <summary>The full path of <paramref name="name"/> on PATH (or in /usr/sbin, /sbin, /usr/bin), or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin"]))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }

    /// <summary>Ports of 127.0.0.1 that were free a moment ago; never the same one twice in this test run.</summary>
    public static int[] FreePorts(int count)
    {
        lock (PortLock)
        {
            var listeners = new List<TcpListener>();
            var ports = new List<int>();
            try
            {
                while (ports.Count < count)
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    listeners.Add(listener);
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (Handed.Add(port))
                    {
                        ports.Add(port);
                    }
                }
            }
            finally
            {
                foreach (var listener in listeners)
                {
                    listener.Stop();
                }
            }
            return [.. ports];
        }
    }

    /// <summary>One port of 127.0.0.1 that was free a moment ago; never the same one twice in this test run.</summary>
    public static int FreePort() => FreePorts(1)[0];

    /// <summary>A new empty directory under the temp directory, named <c>delivery-test-{purpose}-{random}</c>; remove it with <see cref="DeleteDirectory"/>.</summary>
    public static string TempDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"delivery-test-{purpose}-{Guid.NewGuid().ToString("N")[..10]}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes <paramref name="path"/> and everything in it, ignoring what cannot be deleted (a scratch directory is not worth failing a test).</summary>
    public static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>True when a TCP connection to 127.0.0.1:<paramref name="port"/> is accepted within a second.</summary>
    public static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="http"/> gets a 2xx answer from <paramref name="path"/>; false when it answers otherwise or not at all.</summary>
    public static async Task<bool> AnswersAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
