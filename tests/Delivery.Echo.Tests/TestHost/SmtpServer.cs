using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Delivery.Echo.Tests.TestHost;

/// <summary>
/// A real SMTP server, Debian's python3-aiosmtpd, on a free port of 127.0.0.1, storing what it receives in a
/// private maildir (its <c>Mailbox</c> handler), from which the test reads the messages with MimeKit.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    public int Port { get; }

    private SmtpServer(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public static async Task<SmtpServer> StartAsync()
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var port = Machine.FreePort();
        var directory = Directory.CreateTempSubdirectory("echo-smtp-").FullName;
        var info = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", Path.Combine(directory, "mail") })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        var server = new SmtpServer(process, directory, port);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited at start (is python3-aiosmtpd installed?): {await process.StandardError.ReadToEndAsync()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        await server.DisposeAsync();
        throw new TimeoutException($"aiosmtpd did not listen on port {port} within 20 s.");
    }

    /// <summary>Waits for a message to <paramref name="recipient"/>.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(string recipient, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var inbox = Path.Combine(directory, "mail", "new");
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(15)))
        {
            foreach (var file in Directory.Exists(inbox) ? Directory.GetFiles(inbox) : [])
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => m.Address == recipient))
                {
                    return message;
                }
            }
            await Task.Delay(100);
        }
        Assert.Fail($"No message to {recipient} arrived at the SMTP server.");
        return null!;
    }

    /// <summary>How many of the messages received so far are addressed to <paramref name="recipient"/>.</summary>
    public async Task<int> CountMessagesToAsync(string recipient)
    {
        var inbox = Path.Combine(directory, "mail", "new");
        var count = 0;
        foreach (var file in Directory.Exists(inbox) ? Directory.GetFiles(inbox) : [])
        {
            count += (await MimeMessage.LoadAsync(file)).To.Mailboxes.Any(m => m.Address == recipient) ? 1 : 0;
        }
        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
