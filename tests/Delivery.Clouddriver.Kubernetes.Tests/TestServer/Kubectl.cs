using System.Diagnostics;

namespace Delivery.Clouddriver.Kubernetes.Tests.TestServer;

/// <summary>Runs the preinstalled <c>kubectl</c> against a kubeconfig, with a bounded run time.</summary>
internal sealed class Kubectl(string kubeconfig)
{
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        start.ArgumentList.Add("--request-timeout=20s");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["KUBECACHEDIR"] = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "cache");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 30 s: {await error}");
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs and requires success; returns standard output.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {error}{output}");
        return output;
    }
}
