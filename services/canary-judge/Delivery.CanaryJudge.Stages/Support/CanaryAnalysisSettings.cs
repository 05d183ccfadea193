using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.CanaryJudge;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.CanaryJudge.Stages.Support;

/// <summary>One scope as the stage gives it (Kayenta's <c>scopes[]</c>), before the deployed server groups fill it in.</summary>
internal sealed record ScopeSettings(string ScopeName, string? ControlScope, string? ControlLocation, string? ExperimentScope, string? ExperimentLocation, double StepSeconds);

/// <summary>
/// The <c>canaryConfig</c> block of a <c>kayentaCanary</c> stage (Orca's <c>KayentaCanaryContext</c>): <c>canaryConfigId</c>
/// (or an inline <c>config</c>), <c>scopes</c>, <c>lifetimeDuration</c> (ISO-8601, e.g. <c>PT1H</c>) or
/// <c>lifetimeDurationMins</c> (or <c>lifetimeHours</c>), <c>canaryAnalysisIntervalMins</c> (default: the lifetime),
/// <c>beginCanaryAnalysisAfterMins</c>, <c>lookbackMins</c> (0: each interval is judged from the analysis start) and
/// <c>scoreThresholds {marginal, pass}</c>. Minutes may be fractions.
/// </summary>
internal sealed record CanaryAnalysisSettings(
    string? CanaryConfigId,
    JsonObject? InlineConfig,
    IReadOnlyList<ScopeSettings> Scopes,
    TimeSpan Lifetime,
    TimeSpan Interval,
    TimeSpan Warmup,
    TimeSpan Lookback,
    double Marginal,
    double Pass)
{
    /// <summary>Most intervals one canary may run: each judgement wakes the task with one callback, and a task keeps at most this many.</summary>
    public const int MaxIntervals = TaskCallbacks.MaxCallbacksPerTask;

    /// <summary>Shortest interval (tests use seconds; production canaries use minutes).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>Longest lifetime.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    /// <summary>Orca's interval count: whole intervals in the lifetime, at least one.</summary>
    public int IntervalCount => Math.Max(1, (int)(Lifetime.Ticks / Interval.Ticks));

    /// <exception cref="StageInputException">A field is missing or out of range; the message names it.</exception>
    public static CanaryAnalysisSettings Read(JsonObject stage)
    {
        if (stage["canaryConfig"] is not JsonObject c)
        {
            throw new StageInputException("canaryConfig is required: {canaryConfigId, scopes, lifetimeDuration, canaryAnalysisIntervalMins, scoreThresholds}.");
        }
        var id = StageSettings.Text(c, "canaryConfigId");
        var inline = c["config"] as JsonObject;
        if (id is null == inline is null)
        {
            throw new StageInputException("canaryConfig needs exactly one of canaryConfigId (a stored canary config) or config (an inline one).");
        }
        var lifetime = ReadLifetime(c);
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new StageInputException($"canaryConfig.lifetimeDuration must be positive and at most {MaxLifetime.TotalDays} days.");
        }
        var interval = Minutes(c, "canaryAnalysisIntervalMins") ?? lifetime;
        if (interval < MinInterval || interval > lifetime)
        {
            throw new StageInputException($"canaryConfig.canaryAnalysisIntervalMins must be at least {MinInterval.TotalSeconds} s and at most the lifetime.");
        }
        if (lifetime.Ticks / interval.Ticks > MaxIntervals)
        {
            throw new StageInputException($"The lifetime holds more than {MaxIntervals} intervals of canaryAnalysisIntervalMins; use longer intervals.");
        }
        if (c["scoreThresholds"] is not JsonObject thresholds)
        {
            throw new StageInputException("canaryConfig.scoreThresholds {marginal, pass} is required.");
        }
        var marginal = Percent(thresholds, "marginal");
        var pass = Percent(thresholds, "pass");
        if (marginal > pass)
        {
            throw new StageInputException($"canaryConfig.scoreThresholds.marginal ({marginal}) must not be above pass ({pass}).");
        }
        return new CanaryAnalysisSettings(id, inline, ReadScopes(c), lifetime, interval,
            Minutes(c, "beginCanaryAnalysisAfterMins") ?? TimeSpan.Zero, Minutes(c, "lookbackMins") ?? TimeSpan.Zero, marginal, pass);
    }

    /// <summary>The scopes to judge: the given ones, with the deployed pair filling in what they leave empty.</summary>
    /// <exception cref="StageInputException">A scope lacks a control or experiment scope and no pair was deployed.</exception>
    public IReadOnlyList<CanaryScope> ResolveScopes(string? baseline, string? canary, string? location) =>
        [.. (Scopes.Count > 0 ? Scopes : [new ScopeSettings("default", null, null, null, null, 60)]).Select(s => new CanaryScope(
            s.ScopeName,
            s.ControlScope ?? baseline ?? throw new StageInputException($"canaryConfig.scopes ({s.ScopeName}).controlScope is required without deployments."),
            s.ControlLocation ?? location,
            s.ExperimentScope ?? canary ?? throw new StageInputException($"canaryConfig.scopes ({s.ScopeName}).experimentScope is required without deployments."),
            s.ExperimentLocation ?? location))];

    /// <summary>The step of the judged points: the first scope's <c>step</c> (seconds, default 60).</summary>
    public double StepSeconds => Scopes.Count > 0 ? Scopes[0].StepSeconds : 60;

    private static TimeSpan ReadLifetime(JsonObject c)
    {
        if (StageSettings.Text(c, "lifetimeDuration") is { } iso)
        {
            try
            {
                return XmlConvert.ToTimeSpan(iso);
            }
            catch (FormatException)
            {
                throw new StageInputException($"canaryConfig.lifetimeDuration '{iso}' is not an ISO-8601 duration (e.g. PT1H30M).");
            }
        }
        return Minutes(c, "lifetimeDurationMins")
            ?? (Number(c, "lifetimeHours") is { } hours ? TimeSpan.FromHours(hours) : (TimeSpan?)null)
            ?? throw new StageInputException("canaryConfig.lifetimeDuration (ISO-8601) or lifetimeDurationMins is required.");
    }

    private static List<ScopeSettings> ReadScopes(JsonObject c)
    {
        if (c["scopes"] is null)
        {
            return [];
        }
        if (c["scopes"] is not JsonArray array)
        {
            throw new StageInputException("canaryConfig.scopes must be an array of {scopeName, controlScope, experimentScope, step ...}.");
        }
        var scopes = new List<ScopeSettings>();
        foreach (var node in array)
        {
            if (node is not JsonObject s)
            {
                throw new StageInputException("canaryConfig.scopes must be an array of objects.");
            }
            var step = Number(s, "step") ?? 60;
            if (!(step > 0 && step <= 86_400))
            {
                throw new StageInputException($"canaryConfig.scopes[].step must be 0..86400 seconds, not {step.ToString(CultureInfo.InvariantCulture)}.");
            }
            scopes.Add(new ScopeSettings(StageSettings.Text(s, "scopeName") ?? "default", StageSettings.Text(s, "controlScope"), StageSettings.Text(s, "controlLocation"),
                StageSettings.Text(s, "experimentScope"), StageSettings.Text(s, "experimentLocation"), step));
        }
        return scopes;
    }

    private static double Percent(JsonObject thresholds, string key) =>
        Number(thresholds, key) is { } value and >= 0 and <= 100 ? value
        : throw new StageInputException($"canaryConfig.scoreThresholds.{key} must be a number 0..100.");

    private static TimeSpan? Minutes(JsonObject c, string key) => Number(c, key) switch
    {
        null => null,
        >= 0 and <= 7 * 24 * 60 and var minutes => TimeSpan.FromMinutes(minutes),
        _ => throw new StageInputException($"canaryConfig.{key} must be 0..{7 * 24 * 60} minutes (fractions allowed)."),
    };

    /// <summary>A number, or null when absent; Spinnaker's UI sends numbers as strings ("75").</summary>
    private static double? Number(JsonObject c, string key) =>
        c[key] is null ? null
        : ContextValues.Number(c[key]) is { } d && double.IsFinite(d) ? d
        : throw new StageInputException($"canaryConfig.{key} must be a number, not {c[key]!.ToJsonString()}.");
}
