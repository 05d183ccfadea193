using System.Collections.Concurrent;
using System.Diagnostics;

namespace Delivery.Testing;

/// <summary>
/// A server started by a test: its output goes to a log file (and the last lines are kept for
/// failure messages); it is killed with its whole process tree (SIGKILL on Linux).
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 80;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    /// <summary>The file its standard output and error are appended to.</summary>
    public string LogPath { get; }

    /// <summary>The operating system's process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => _exited.Task;

    /// <summary>The exit code once the process has exited; null before.</summary>
    public int? ExitCode => HasExited ? _process.ExitCode : null;

    /// <summary>
    /// Starts <paramref name="fileName"/> with its standard input closed and its output appended to
    /// <paramref name="logPath"/>; an environment value of null removes that variable. Where it runs is
    /// <paramref name="workingDirectory"/>, else the log's directory.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process could not be started.</exception>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string logPath, string? workingDirectory = null)
    {
        var info = StartInfo(fileName, arguments, environment);
        info.WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(logPath)!;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, logPath);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Exited += (_, _) => child._exited.TrySetResult();
        child.Append($"### {DateTimeOffset.Now:O} starting {fileName} {string.Join(' ', info.ArgumentList)}");
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Polls <paramref name="ready"/> every <paramref name="pollInterval"/> until it returns true; used after a start,
    /// when the server needs a moment (more on a loaded machine) before it answers. <paramref name="what"/> names the
    /// server in failure messages.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process exited meanwhile (the message has its last lines).</exception>
    /// <exception cref="TimeoutException"><paramref name="ready"/> was not true within <paramref name="timeout"/>.</exception>
    public async Task WaitUntilReadyAsync(string what, Func<Task<bool>> ready, TimeSpan timeout, TimeSpan pollInterval)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{what} exited at start:\n{Tail()}");
            }
            if (await ready())
            {
                return;
            }
            await Task.Delay(pollInterval);
        }
        throw new TimeoutException($"{what} was not ready within {timeout.TotalSeconds} s:\n{Tail()}");
    }

    /// <summary>The last lines the process printed, for failure messages.</summary>
    public string Tail(int lines = 30) => string.Join('\n', _tail.TakeLast(lines));

    /// <summary>SIGKILL to the process and everything it started.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }
    }

    /// <summary>True when the process exits within <paramref name="timeout"/>; false when it is still running then.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout) =>
        await Task.WhenAny(_exited.Task, Task.Delay(timeout)) == _exited.Task;

    /// <summary>Kills the process tree, waits up to 10 s for it to exit and closes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        _tail.Enqueue(line);
        while (_tail.Count > TailLines && _tail.TryDequeue(out _))
        {
        }
        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Runs a short command (rabbitmqctl, epmd) to its end; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(fileName, arguments, environment)) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"{fileName} timed out after {timeout}.\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
        return info;
    }
}
