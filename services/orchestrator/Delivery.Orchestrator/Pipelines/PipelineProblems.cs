namespace Delivery.Orchestrator.Pipelines;

/// <summary>
/// What <see cref="PipelineValidator"/> found wrong with a pipeline config, said twice: as sentences for a person
/// (joined, they are the problem's <c>detail</c>) and per field, keyed by the field's JSON path in the config
/// (<c>stages[2].waitTime</c>, <c>parameterConfig[0].name</c>, <c>name</c>) as ASP.NET's ValidationProblemDetails keys
/// its <c>errors</c>, so that a client places each message by structure rather than by reading the sentence.
/// </summary>
public sealed class PipelineProblems
{
    private readonly List<string> _sentences = [];
    private readonly Dictionary<string, List<string>> _fields = new(StringComparer.Ordinal);

    /// <summary>One sentence per problem, naming the stage or parameter at fault.</summary>
    public IReadOnlyList<string> Sentences => _sentences;

    /// <summary>The messages per JSON path; a problem that concerns several fields (a cycle) is under each.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => _fields.ToDictionary(f => f.Key, f => f.Value.ToArray(), StringComparer.Ordinal);

    public int Count => _sentences.Count;

    /// <summary>A problem of the field at <paramref name="path"/>; <paramref name="subject"/> (a stage's label) starts the sentence.</summary>
    public void Add(string path, string message, string? subject = null) => Add([path], message, subject);

    /// <summary>One problem of several fields.</summary>
    public void Add(IEnumerable<string> paths, string message, string? subject = null)
    {
        _sentences.Add(subject is null ? message : $"{subject}: {message}");
        foreach (var path in paths)
        {
            if (!_fields.TryGetValue(path, out var messages))
            {
                _fields[path] = messages = [];
            }
            messages.Add(message);
        }
    }
}
