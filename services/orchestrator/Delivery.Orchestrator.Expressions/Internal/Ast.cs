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

internal enum UnaryOperator
{
    Not,
    Negate,
    Plus,
}

internal sealed class UnaryNode(UnaryOperator op, Node operand) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var value = operand.Eval(ctx);
        switch (op)
        {
            case UnaryOperator.Not:
                return !Values.ToBoolean(value, "the operand of 'not'");
            case UnaryOperator.Negate when value is long l:
                return l == long.MinValue ? throw new ExpressionFailure("integer overflow") : -l;
            case UnaryOperator.Negate when value is double d:
                return -d;
            case UnaryOperator.Plus when Values.IsNumber(value):
                return value;
            default:
                throw new ExpressionFailure($"unary '{(op == UnaryOperator.Negate ? "-" : "+")}' needs a number, not {Values.Describe(value)}");
        }
    }
}

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

/// <summary>A left-associative run of <c>+ -</c> or <c>* / %</c>, evaluated in a loop.</summary>
internal sealed class ArithmeticNode(Node first, BinaryOperator[] operators, Node[] operands) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var accumulator = first.Eval(ctx);
        for (var i = 0; i < operators.Length; i++)
        {
            ctx.Tick();
            accumulator = Arithmetic.Apply(operators[i], accumulator, operands[i].Eval(ctx), ctx);
        }

        return accumulator;
    }
}

internal sealed class PowerNode(Node left, Node right) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        return Arithmetic.Power(left.Eval(ctx), right.Eval(ctx));
    }
}

internal enum RelationalOperator
{
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Matches,
}

internal sealed class RelationalNode(RelationalOperator op, Node left, Node right) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var a = left.Eval(ctx);
        var b = right.Eval(ctx);
        return op switch
        {
            RelationalOperator.Eq => Values.AreEqual(a, b, ctx),
            RelationalOperator.Ne => !Values.AreEqual(a, b, ctx),
            RelationalOperator.Lt => Values.Compare(a, b) < 0,
            RelationalOperator.Le => Values.Compare(a, b) <= 0,
            RelationalOperator.Gt => Values.Compare(a, b) > 0,
            RelationalOperator.Ge => Values.Compare(a, b) >= 0,
            _ => Matches(a, b, ctx),
        };
    }

    private static bool Matches(object? input, object? pattern, EvalContext ctx)
    {
        if (input is null)
        {
            throw new ExpressionFailure("the left operand of 'matches' is null");
        }

        if (pattern is not string regex)
        {
            throw new ExpressionFailure($"the right operand of 'matches' must be a regular expression string, not {Values.Describe(pattern)}");
        }

        var text = input is string s ? s : Values.ToText(input, ctx);
        return RegexSupport.IsFullMatch(text, regex, ctx);
    }
}

/// <summary><c>a and b and c</c> / <c>a or b or c</c> with short-circuit evaluation.</summary>
internal sealed class LogicalNode(bool isAnd, Node[] operands) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var role = isAnd ? "an operand of 'and'" : "an operand of 'or'";
        foreach (var operand in operands)
        {
            var value = Values.ToBoolean(operand.Eval(ctx), role);
            if (value != isAnd)
            {
                return value;
            }
        }

        return isAnd;
    }
}

internal sealed class TernaryNode(Node condition, Node whenTrue, Node whenFalse) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        return Values.ToBoolean(condition.Eval(ctx), "the condition of '?:'")
            ? whenTrue.Eval(ctx)
            : whenFalse.Eval(ctx);
    }
}

/// <summary><c>a ?: b</c>: <c>a</c> unless it is null or an empty string.</summary>
internal sealed class ElvisNode(Node value, Node fallback) : Node
{
    public override object? Eval(EvalContext ctx)
    {
        ctx.Tick();
        var result = value.Eval(ctx);
        return result is null or "" ? fallback.Eval(ctx) : result;
    }
}

internal static class Arithmetic
{
    public static object? Apply(BinaryOperator op, object? a, object? b, EvalContext ctx)
    {
        if (op == BinaryOperator.Add && (a is string || b is string))
        {
            var left = Values.ToText(a, ctx);
            var right = Values.ToText(b, ctx);
            ctx.CheckLength((long)left.Length + right.Length, "the concatenated string");
            return string.Concat(left, right);
        }

        if (op == BinaryOperator.Multiply && a is string repeated && b is long count)
        {
            return Repeat(repeated, count, ctx);
        }

        if (!Values.IsNumber(a) || !Values.IsNumber(b))
        {
            throw new ExpressionFailure($"operator '{Symbol(op)}' cannot be applied to {Values.Describe(a)} and {Values.Describe(b)}");
        }

        if (a is long x && b is long y)
        {
            try
            {
                return op switch
                {
                    BinaryOperator.Add => checked(x + y),
                    BinaryOperator.Subtract => checked(x - y),
                    BinaryOperator.Multiply => checked(x * y),
                    BinaryOperator.Divide => y == 0 ? throw new ExpressionFailure("division by zero") : checked(x / y),
                    _ => y == 0 ? throw new ExpressionFailure("division by zero") : (y == -1 ? 0L : x % y),
                };
            }
            catch (OverflowException)
            {
                throw new ExpressionFailure($"integer overflow in '{Symbol(op)}'");
            }
        }

        var p = Values.ToDouble(a!);
        var q = Values.ToDouble(b!);
        return Values.Number(op switch
        {
            BinaryOperator.Add => p + q,
            BinaryOperator.Subtract => p - q,
            BinaryOperator.Multiply => p * q,
            BinaryOperator.Divide => p / q,
            _ => p % q,
        });
    }

    public static object Power(object? a, object? b)
    {
        if (!Values.IsNumber(a) || !Values.IsNumber(b))
        {
            throw new ExpressionFailure($"operator '^' cannot be applied to {Values.Describe(a)} and {Values.Describe(b)}");
        }

        if (a is long x && b is long y && y >= 0)
        {
            if (x is 0 or 1 || y == 0)
            {
                return y == 0 ? 1L : x;
            }

            if (x == -1)
            {
                return y % 2 == 0 ? 1L : -1L;
            }

            long result = 1;
            try
            {
                for (var i = 0L; i < y; i++)
                {
                    result = checked(result * x); // |x| >= 2 overflows within 63 iterations
                }
            }
            catch (OverflowException)
            {
                throw new ExpressionFailure("integer overflow in '^'");
            }

            return result;
        }

        return Values.Number(Math.Pow(Values.ToDouble(a!), Values.ToDouble(b!)));
    }

    private static string Repeat(string text, long count, EvalContext ctx)
    {
        if (count < 0)
        {
            throw new ExpressionFailure("a string cannot be repeated a negative number of times");
        }

        if (text.Length == 0 || count == 0)
        {
            return string.Empty;
        }

        ctx.CheckLength(text.Length * Math.Min(count, int.MaxValue), "the repeated string");
        var sb = new StringBuilder(text.Length * (int)count);
        for (var i = 0; i < count; i++)
        {
            sb.Append(text);
        }

        return sb.ToString();
    }

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        _ => "%",
    };
}
