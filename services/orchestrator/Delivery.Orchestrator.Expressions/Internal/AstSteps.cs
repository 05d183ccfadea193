using System.Globalization;
using System.Text;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>
/// A primary followed by property, index, method, selection and projection steps. Kept flat (a list rather than
/// nested nodes) so that long paths like <c>a.b.c.d...</c> do not deepen the evaluation recursion.
/// </summary>
internal sealed class ChainNode(Node head, Step[] steps) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var value = head.Eval(ctx);
        foreach (var step in steps)
        {
            ctx.Tick();
            if (value is null && step.NullSafe)
            {
                return null; // a?.b.c short-circuits the rest of the chain when a is null
            }

            value = step.Apply(value, ctx);
        }

        return value;
    }
}

internal abstract class Step(bool nullSafe)
{
    public bool NullSafe { get; } = nullSafe;

    public abstract object? Apply(object? target, EvalContext ctx);
}

internal sealed class PropertyStep(string name, bool nullSafe) : Step(nullSafe)
{
    public override object? Apply(object? target, EvalContext ctx)
    {
        if (target is null)
        {
            throw new ExpressionFailure($"cannot read property '{name}' of null (use '?.' for null-safe navigation)");
        }

        if (!Values.IsMap(target))
        {
            throw new ExpressionFailure($"cannot read property '{name}' of {Values.Describe(target)}");
        }

        if (Values.TryGetMember(target, name, out var member))
        {
            return member;
        }

        throw new ExpressionFailure($"property or field '{name}' cannot be found on the map");
    }
}

/// <summary><c>target[index]</c>. On a map a bare identifier index is the key itself (as in SpEL).</summary>
internal sealed class IndexStep(Node index, string? bareName) : Step(false)
{
    public override object? Apply(object? target, EvalContext ctx)
    {
        if (target is null)
        {
            throw new ExpressionFailure("cannot index into null");
        }

        if (Values.IsMap(target))
        {
            var key = bareName ?? MapKey(index.Eval(ctx), ctx);
            return key is not null && Values.TryGetMember(target, key, out var member) ? member : null;
        }

        var position = index.Eval(ctx);
        switch (target)
        {
            case string s:
                var charIndex = ToIndex(position, s.Length, "string");
                return s[charIndex].ToString();
            default:
                if (!Values.IsList(target))
                {
                    throw new ExpressionFailure($"cannot index into {Values.Describe(target)}");
                }

                var itemIndex = ToIndex(position, Values.Count(target), "list");
                return Values.Item(target, itemIndex);
        }
    }

    private static string? MapKey(object? key, EvalContext ctx) => key switch
    {
        null => null,
        string or long or double or bool => Values.ToText(key, ctx),
        _ => throw new ExpressionFailure($"cannot use {Values.Describe(key)} as a map key"),
    };

    private static int ToIndex(object? position, int count, string what)
    {
        long index = position switch
        {
            long l => l,
            double d when d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (long)d,
            string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new ExpressionFailure($"a {what} index must be an integer, not {Values.Describe(position)}"),
        };

        if (index < 0 || index >= count)
        {
            throw new ExpressionFailure($"index {index} is out of bounds for a {what} of length {count}");
        }

        return (int)index;
    }
}

internal sealed class MethodStep(string name, Node[] arguments, bool nullSafe) : Step(nullSafe)
{
    public override object? Apply(object? target, EvalContext ctx)
    {
        if (target is null)
        {
            throw new ExpressionFailure($"cannot call method '{name}' on null (use '?.' for null-safe navigation)");
        }

        var args = new object?[arguments.Length];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = arguments[i].Eval(ctx);
        }

        return Methods.Invoke(name, target, args, ctx);
    }
}

internal enum SelectionKind
{
    All,
    First,
    Last,
    Project,
}

/// <summary><c>.?[ ]</c>, <c>.^[ ]</c>, <c>.$[ ]</c> and <c>.![ ]</c>; the body sees each element as <c>#this</c>.</summary>
internal sealed class SelectionStep(SelectionKind kind, Node body) : Step(false)
{
    public override object? Apply(object? target, EvalContext ctx)
    {
        var operation = kind == SelectionKind.Project ? "projection" : "selection";
        if (target is null)
        {
            throw new ExpressionFailure($"cannot apply a {operation} to null");
        }

        if (Values.IsList(target))
        {
            return ApplyToList(Values.Items(target), ctx);
        }

        if (Values.IsMap(target))
        {
            return ApplyToMap(target, ctx);
        }

        throw new ExpressionFailure($"a {operation} needs a list or a map, not {Values.Describe(target)}");
    }

    private object? ApplyToList(IEnumerable<object?> items, EvalContext ctx)
    {
        var results = new List<object?>();
        object? last = null;
        foreach (var item in items)
        {
            ctx.Tick();
            var outcome = EvalBody(item, ctx);
            switch (kind)
            {
                case SelectionKind.Project:
                    results.Add(outcome);
                    break;
                case SelectionKind.All when Values.ToBoolean(outcome, "the selection criteria"):
                    results.Add(item);
                    break;
                case SelectionKind.First when Values.ToBoolean(outcome, "the selection criteria"):
                    return item;
                case SelectionKind.Last when Values.ToBoolean(outcome, "the selection criteria"):
                    last = item;
                    break;
            }
        }

        return kind is SelectionKind.First or SelectionKind.Last ? last : results;
    }

    private object? ApplyToMap(object map, EvalContext ctx)
    {
        var projected = new List<object?>();
        var selected = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in Values.Entries(map))
        {
            ctx.Tick();
            var entry = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["key"] = key, ["value"] = value };
            var outcome = EvalBody(entry, ctx);
            if (kind == SelectionKind.Project)
            {
                projected.Add(outcome);
                continue;
            }

            if (!Values.ToBoolean(outcome, "the selection criteria"))
            {
                continue;
            }

            if (kind == SelectionKind.Last)
            {
                selected.Clear();
            }

            selected[key] = value;
            if (kind == SelectionKind.First)
            {
                break;
            }
        }

        return kind == SelectionKind.Project ? projected : selected;
    }

    private object? EvalBody(object? element, EvalContext ctx)
    {
        ctx.PushElement(element);
        try
        {
            return body.Eval(ctx);
        }
        finally
        {
            ctx.PopElement();
        }
    }
}
