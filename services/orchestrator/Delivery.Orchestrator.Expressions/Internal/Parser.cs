using System.Runtime.CompilerServices;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>
/// Recursive-descent parser for the SpEL subset. Grammar, loosest binding first:
/// <code>
/// expression  := or ( '?' expression ':' expression | '?:' expression )?
/// or          := and ( ('or' | '||') and )*
/// and         := relational ( ('and' | '&amp;&amp;') relational )*
/// relational  := sum ( ('=='|'!='|'&lt;'|'&lt;='|'&gt;'|'&gt;='|eq|ne|lt|le|gt|ge|matches) sum )?
/// sum         := product ( ('+'|'-') product )*
/// product     := power ( ('*'|'/'|'%'|div|mod) power )*
/// power       := unary ( '^' unary )?
/// unary       := ('!'|'not'|'-'|'+') unary | chain
/// chain       := primary ( '.' name | '?.' name | '.' name args | '[' expression ']' | '.?[' | '.^[' | '.$[' | '.![' expression ']' )*
/// primary     := literal | name | name args | '#' name | '#' name args | '(' expression ')' | '{' list-or-map '}'
/// </code>
/// Only allow-listed methods and functions parse; everything else (types, constructors, beans, assignment) is rejected.
/// </summary>
internal sealed partial class Parser
{
    private static readonly HashSet<string> AllowedMethods = new(StringComparer.Ordinal)
    {
        "toLowerCase", "toUpperCase", "contains", "startsWith", "endsWith", "split", "replace", "replaceAll",
        "substring", "indexOf", "trim", "length", "isEmpty", "equals", "equalsIgnoreCase", "toString",
        "size", "get", "containsKey",
        "intValue", "longValue", "doubleValue", "getTime", "format",
    };

    private readonly List<Token> _tokens;
    private readonly Limits _limits;
    private readonly Deadline _deadline;
    private int _position;
    private int _depth;

    private Parser(List<Token> tokens, Limits limits, Deadline deadline)
    {
        _tokens = tokens;
        _limits = limits;
        _deadline = deadline;
    }

    public static Node Parse(string text, Limits limits, Deadline deadline)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ExpressionFailure("the expression is empty");
        }

        var parser = new Parser(Lexer.Tokenize(text, deadline), limits, deadline);
        var node = parser.ParseExpression();
        if (parser.Peek.Kind != TokenKind.End)
        {
            throw parser.Unexpected(parser.Peek);
        }

        return node;
    }

    private Token Peek => _tokens[_position];

    private Token PeekAt(int offset) => _tokens[Math.Min(_position + offset, _tokens.Count - 1)];

    private Token Next()
    {
        var token = _tokens[_position];
        if (token.Kind != TokenKind.End)
        {
            _position++;
        }

        return token;
    }

    private bool Match(TokenKind kind)
    {
        if (Peek.Kind != kind)
        {
            return false;
        }

        _position++;
        return true;
    }

    private bool MatchWord(string word)
    {
        if (!Peek.IsWord(word))
        {
            return false;
        }

        _position++;
        return true;
    }

    private void Expect(TokenKind kind, string description)
    {
        if (!Match(kind))
        {
            var token = Peek;
            throw new ExpressionFailure(token.Kind == TokenKind.End
                ? $"expected {description} but the expression ended"
                : $"expected {description} but found '{Values.Truncate(token.Text, 40)}' at position {token.Position}");
        }
    }

    private ExpressionFailure Unexpected(Token token) => token.Kind == TokenKind.End
        ? new ExpressionFailure("unexpected end of the expression")
        : new ExpressionFailure($"unexpected '{Values.Truncate(token.Text, 40)}' at position {token.Position}");

    private void Enter()
    {
        if (++_depth > _limits.MaxDepth)
        {
            throw new ExpressionFailure($"the expression is nested deeper than the maximum depth of {_limits.MaxDepth}");
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ExpressionFailure("the expression is nested too deeply to parse", cacheable: false);
        }

        if ((_position & 63) == 0)
        {
            _deadline.Check();
        }
    }
}
