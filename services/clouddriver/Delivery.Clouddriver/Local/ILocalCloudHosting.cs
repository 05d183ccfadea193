namespace Delivery.Clouddriver.Local;

/// <summary>
/// Which clouddriver replica hosts the local cloud: its processes and listeners belong to one process, so one replica
/// at a time runs them and every local operation (see <see cref="Operations.OperationConsumer{T}"/>).
/// </summary>
public interface ILocalCloudHosting
{
    /// <summary>Whether this replica runs the local cloud now.</summary>
    bool IsHost { get; }

    /// <summary>The id of the replica hosting the local cloud as last seen; null when none does, or in a standalone process.</summary>
    string? CurrentHost { get; }
}

/// <summary>A standalone process: the only replica, so always the host.</summary>
public sealed class SingleProcessHosting : ILocalCloudHosting
{
    public bool IsHost => true;

    public string? CurrentHost => null;
}
