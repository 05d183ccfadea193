using System.Globalization;
using System.Text;

namespace Delivery.Orchestrator.Expressions.Internal;

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
