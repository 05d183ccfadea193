using System.Text.Json.Nodes;
using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Kubernetes.Accounts;
using Delivery.Clouddriver.Kubernetes.Contracts;
using Delivery.Clouddriver.Operations;
using Delivery.Clouddriver.Providers;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Kubernetes.Operations;

/// <summary>The Kubernetes operations clouddriver runs (<c>deployManifest</c> and <c>manifestOperation</c>), on Kubernetes accounts only.</summary>
public sealed class KubernetesOperations(AccountRegistry registry, KubernetesAccounts accounts, Deployer deployer, ManifestActions actions, OperationProgress progress) : IProviderOperations
{
    public IReadOnlyDictionary<string, Type> Types { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["deployManifest"] = typeof(DeployManifest),
        ["manifestOperation"] = typeof(ManifestOperation),
    };

    public async Task<JsonObject> RunAsync(IClouddriverOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            return operation switch
            {
                DeployManifest op => await deployer.DeployAsync(Account(op.Account), op, cancellationToken),
                ManifestOperation op => await actions.RunAsync(Account(op.Account), op, cancellationToken),
                _ => throw OperationException.Invalid($"{operation.GetType().Name} is not a Kubernetes operation."),
            };
        }
        finally
        {
            progress.Clear(operation.OperationId);
        }
    }

    private KubernetesAccount Account(string name)
    {
        var account = registry.Get(name);
        return account.CloudProvider == KubernetesCloudProvider.Name && accounts.Find(account.Name) is { } found
            ? found
            : throw OperationException.Invalid($"Account '{name}' is not a Kubernetes account (it is {account.CloudProvider}).");
    }
}
