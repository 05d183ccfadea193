// A container health check for images that have no curl (the official .NET runtime images):
//   dotnet /app/probe/probe.dll /health        GET http://127.0.0.1:{first of ASPNETCORE_HTTP_PORTS}/health
//   dotnet /app/probe/probe.dll http://host:port/path
// Exit code 0 on a 2xx answer within 8 s (inside the health checks' 10 s timeout), 1 otherwise (what Docker's HEALTHCHECK and compose expect).
var target = args.Length == 1 ? args[0] : "/health";
if (!target.StartsWith("http", StringComparison.OrdinalIgnoreCase))
{
    var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080";
    target = $"http://127.0.0.1:{ports.Split(',', ';')[0].Trim()}{target}";
}
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(8) };
try
{
    using var response = await http.GetAsync(new Uri(target));
    Console.WriteLine($"{target}: {(int)response.StatusCode}");
    return response.IsSuccessStatusCode ? 0 : 1;
}
catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
{
    Console.WriteLine($"{target}: {e.Message}");
    return 1;
}
