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

/// <summary>
/// An operation failure whose message is shown to the user as is, cut at <see cref="MaxMessageChars"/> characters: a
/// message may quote the input (a 300 KB name, an artifact's arguments), and it travels in a problem+json answer and in
/// <see cref="Contracts.Clouddriver.OperationCompleted"/>, whose payload a waiting task keeps only up to 64 KiB.
/// </summary>
public sealed class OperationException(OperationErrorKind kind, string message) : Exception(Bounded(message))
{
    /// <summary>
    /// The longest message kept, in characters. A longer one keeps its first and last halves of this length, so
    /// both the quoted input's start and the sentence's end ("… is not a server group name") survive.
    /// </summary>
    public const int MaxMessageChars = 4_096;

    public OperationErrorKind Kind { get; } = kind;

    private static string Bounded(string message)
    {
        const int half = MaxMessageChars / 2;
        return message.Length <= MaxMessageChars
            ? message
            : $"{message[..half]}… ({message.Length - 2 * half} characters cut) …{message[^half..]}";
    }

    public static OperationException Invalid(string message) => new(OperationErrorKind.Invalid, message);

    public static OperationException NotFound(string message) => new(OperationErrorKind.NotFound, message);

    public static OperationException Failed(string message) => new(OperationErrorKind.Failed, message);
}
