using System.Globalization;
using System.Text;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>A node of the parsed expression tree. Evaluation is a plain tree walk over JSON values.</summary>
internal abstract class Node
{
    public abstract object? Eval(EvalContext ctx);
}

internal sealed class LiteralNode(object? value) : Node
{
    public object? Value { get; } = value;

    public override object? Eval(EvalContext ctx) => Value;
}

internal sealed class ListNode(Node[] items) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var list = new List<object?>(items.Length);
        foreach (var item in items)
        {
            list.Add(item.Eval(ctx));
        }

        return list;
    }
}

/// <summary>An inline map. A key is either a constant (bare identifier or literal) or an expression.</summary>
internal sealed class MapNode(string?[] constantKeys, Node?[] keyExpressions, Node[] values) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var map = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            var key = constantKeys[i] ?? KeyOf(keyExpressions[i]!.Eval(ctx), ctx);
            map[key] = values[i].Eval(ctx);
        }

        return map;
    }

    private static string KeyOf(object? key, EvalContext ctx) => key switch
    {
        string or long or double or bool => Values.ToText(key, ctx),
        _ => throw new ExpressionFailure($"a map key must be a string, number or boolean, not {Values.Describe(key)}"),
    };
}

/// <summary>A bare name: the current selection element's property if it has one, else a root property.</summary>
internal sealed class IdentifierNode(string name) : Node
{
    public string Name { get; } = name;

    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        if (ctx.HasElement && Values.TryGetMember(ctx.This, Name, out var member))
        {
            return member;
        }

        if (Values.TryGetMember(ctx.Root, Name, out member))
        {
            return member;
        }

        // Orca's one execution-aware alias: the bare name stands for the function called without arguments.
        if (Name == "deployedServerGroups")
        {
            return Functions.Invoke(Name, [], ctx);
        }

        throw new ExpressionFailure($"property or variable '{Name}' cannot be found");
    }
}

/// <summary><c>#this</c> or <c>#root</c>.</summary>
internal sealed class VariableNode(bool isRoot) : Node
{
    public override object? Eval(EvalContext ctx) => isRoot ? ctx.Root : ctx.This;
}

/// <summary><c>new Type(args)</c> for the types <see cref="JavaIdioms"/> allows.</summary>
internal sealed class ConstructorNode(string type, Node[] arguments) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var args = new object?[arguments.Length];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = arguments[i].Eval(ctx);
        }

        return JavaIdioms.Construct(type, args, ctx);
    }
}

internal sealed class FunctionNode(string name, Node[] arguments) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var args = new object?[arguments.Length];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = arguments[i].Eval(ctx);
        }

        return Functions.Invoke(name, args, ctx);
    }
}
