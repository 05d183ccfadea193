using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Local;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Operations;

/// <summary>Which replica may run a command: local accounts' commands only on the replica hosting the local cloud.</summary>
public static class LocalRouting
{
    /// <summary>True when the command is for a local account and this replica does not host the local cloud.</summary>
    public static bool RunsElsewhere(IClouddriverOperation operation, AccountRegistry accounts, ILocalCloudHosting hosting) =>
        !hosting.IsHost && accounts.TryGet(AccountOf(operation) ?? "", out var account) && account.CloudProvider == LocalCloudProvider.Name;

    private static string? AccountOf(IClouddriverOperation operation) => operation switch
    {
        CreateServerGroup op => op.Account,
        ResizeServerGroup op => op.Account,
        EnableServerGroup op => op.Account,
        DisableServerGroup op => op.Account,
        DestroyServerGroup op => op.Account,
        TerminateInstances op => op.Account,
        UpsertLoadBalancer op => op.Account,
        DeleteLoadBalancer op => op.Account,
        _ => null,
    };
}
