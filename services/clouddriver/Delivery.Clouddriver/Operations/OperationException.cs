namespace Delivery.Clouddriver.Operations;

/// <summary>Why an operation failed, which also picks the HTTP status of a direct (ad-hoc) run.</summary>
public enum OperationErrorKind
{
    /// <summary>The command itself is wrong (unknown account, bad name, capacity min &gt; max ...): 400.</summary>
    Invalid,

    /// <summary>The command names something that does not exist (server group, load balancer, instance): 404.</summary>
    NotFound,

    /// <summary>The cloud could not do it (the artifact exited, instances never became healthy ...): 422.</summary>
    Failed,
}

/// <summary>An operation failure whose message is shown to the user as is.</summary>
public sealed class OperationException(OperationErrorKind kind, string message) : Exception(message)
{
    public OperationErrorKind Kind { get; } = kind;

    public static OperationException Invalid(string message) => new(OperationErrorKind.Invalid, message);

    public static OperationException NotFound(string message) => new(OperationErrorKind.NotFound, message);

    public static OperationException Failed(string message) => new(OperationErrorKind.Failed, message);
}
