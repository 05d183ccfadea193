// A sample app to deploy: reports its version, and can be told to fail or slow down.
//   PORT        port to listen on, on 127.0.0.1 (default 8080)
//   VERSION     reported by GET / (default "unknown")
//   FAIL_RATE   fraction 0..1 of GET / requests answered 500
//   LATENCY_MS  delay added to every GET / (0..60000)
using System.Globalization;

var builder = WebApplication.CreateSlimBuilder(args);
var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 8080;
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();

var version = Environment.GetEnvironmentVariable("VERSION") ?? "unknown";
var failRate = Math.Clamp(ReadDouble("FAIL_RATE"), 0, 1);
var latency = TimeSpan.FromMilliseconds(Math.Clamp(ReadDouble("LATENCY_MS"), 0, 60_000));
var started = DateTimeOffset.UtcNow;

app.MapGet("/", async (CancellationToken cancellationToken) =>
{
    if (latency > TimeSpan.Zero)
    {
        await Task.Delay(latency, cancellationToken);
    }
    var reply = new Dictionary<string, object>
    {
        ["version"] = version,
        ["pid"] = Environment.ProcessId,
        ["port"] = port,
        ["startedAt"] = started.ToString("O", CultureInfo.InvariantCulture),
    };
    return Random.Shared.NextDouble() < failRate
        ? Results.Json(reply, statusCode: StatusCodes.Status500InternalServerError)
        : Results.Json(reply);
});
app.MapGet("/health", () => Results.Text("ok"));
app.Run();

static double ReadDouble(string name) =>
    double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
