using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Kubernetes.Accounts;

/// <summary>
/// The configured Kubernetes accounts, and their health: each cluster is probed (<c>GET /version</c>) at start and every
/// <c>HealthCheckIntervalSeconds</c>; one that does not answer is unhealthy with the reason until it answers again.
/// </summary>
public sealed class KubernetesAccounts : BackgroundService
{
    private readonly Dictionary<string, KubernetesAccount> _accounts;
    private readonly KubernetesProviderOptions _options;
    private readonly ILogger<KubernetesAccounts> _logger;

    /// <param name="environment">Configuration, which holds the environment an in-cluster account reads (<see cref="InClusterConfig"/>).</param>
    public KubernetesAccounts(IOptions<KubernetesProviderOptions> options, IConfiguration environment, ILogger<KubernetesAccounts> logger)
    {
        _options = options.Value;
        _logger = logger;
        _accounts = _options.Accounts.ToDictionary(a => a.Name, a => new KubernetesAccount(a, _options, environment), StringComparer.Ordinal);
    }

    public IEnumerable<KubernetesAccount> All => _accounts.Values;

    /// <summary>The account of that name, if configured.</summary>
    public KubernetesAccount? Find(string name) => _accounts.GetValueOrDefault(name);

    /// <summary>Probes every account once.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) => Task.WhenAll(_accounts.Values.Select(a => ProbeAsync(a, cancellationToken)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.HealthCheckIntervalSeconds));
        do
        {
            await ProbeAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ProbeAsync(KubernetesAccount account, CancellationToken cancellationToken)
    {
        if (account.Api is null)
        {
            return;
        }
        try
        {
            await account.Api.VersionAsync(cancellationToken);
            if (account.UnhealthyReason is not null)
            {
                _logger.LogInformation("Kubernetes account {Account} is reachable again", account.Name);
            }
            account.UnhealthyReason = null;
        }
        catch (Api.KubeApiException e)
        {
            if (account.UnhealthyReason is null)
            {
                _logger.LogWarning("Kubernetes account {Account} is unhealthy: {Reason}", account.Name, e.Message);
            }
            account.UnhealthyReason = e.Message;
        }
    }

    public override void Dispose()
    {
        foreach (var account in _accounts.Values)
        {
            account.Dispose();
        }
        base.Dispose();
    }
}
