using System.Diagnostics;
using Delivery.Ui.Tests.TestHost;

namespace Delivery.Ui.Tests;

/// <summary>The UI's own unit tests (Vitest) as part of the solution's test run.</summary>
public sealed class VitestTests
{
    [Fact]
    public async Task Npm_test_in_ui_passes()
    {
        var start = new ProcessStartInfo("npm", "test")
        {
            WorkingDirectory = Repo.Ui,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No colours: the output lands in the assertion message.
        start.Environment["NO_COLOR"] = "1";
        start.Environment["CI"] = "true";
        using var npm = Process.Start(start)!;
        var stdout = npm.StandardOutput.ReadToEndAsync();
        var stderr = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(npm.ExitCode == 0, $"npm test exited with {npm.ExitCode}:\n{await stdout}\n{await stderr}");
        Assert.Contains("passed", await stdout);
    }
}
