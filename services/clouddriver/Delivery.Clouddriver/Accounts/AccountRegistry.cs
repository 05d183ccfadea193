using Delivery.Clouddriver.Operations;
using Delivery.Clouddriver.Providers;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Accounts;

/// <summary>The accounts clouddriver serves, each resolved to its provider once at start.</summary>
public sealed class AccountRegistry
{
    private readonly Dictionary<string, (CloudAccount Account, ICloudProvider Provider)> _accounts = new(StringComparer.Ordinal);

    public AccountRegistry(IOptions<ClouddriverOptions> options, IEnumerable<ICloudProvider> providers)
    {
        var byName = providers.ToDictionary(p => p.CloudProvider, StringComparer.Ordinal);
        var configured = options.Value.Accounts.Select(a => new CloudAccount(a.Name, a.CloudProvider)).ToList();
        if (options.Value.DefaultLocalAccount && configured.All(a => a.Name != "local"))
        {
            configured.Insert(0, new CloudAccount("local", "local"));
        }
        foreach (var account in configured)
        {
            if (!byName.TryGetValue(account.CloudProvider, out var provider))
            {
                throw new OptionsValidationException(ClouddriverOptions.Section, typeof(ClouddriverOptions),
                    [$"Account '{account.Name}' names cloud provider '{account.CloudProvider}', which is not available (known: {string.Join(", ", byName.Keys)})."]);
            }
            if (!_accounts.TryAdd(account.Name, (account, provider)))
            {
                throw new OptionsValidationException(ClouddriverOptions.Section, typeof(ClouddriverOptions), [$"Account '{account.Name}' is configured twice."]);
            }
        }
    }

    public IEnumerable<CloudAccount> Accounts => _accounts.Values.Select(a => a.Account);

    public ICloudProvider ProviderOf(CloudAccount account) => _accounts[account.Name].Provider;

    /// <summary>The account, or an <see cref="OperationException"/> (invalid input) naming the known ones.</summary>
    public CloudAccount Get(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw OperationException.Invalid("account is required.");
        }
        return _accounts.TryGetValue(name, out var entry)
            ? entry.Account
            : throw OperationException.Invalid($"Unknown account '{name}'; known accounts: {string.Join(", ", _accounts.Keys)}.");
    }

    public bool TryGet(string name, out CloudAccount account)
    {
        var found = _accounts.TryGetValue(name, out var entry);
        account = entry.Account;
        return found;
    }
}
