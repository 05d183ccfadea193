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
internal sealed class Parser
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

    private Node ParseExpression()
    {
        Enter();
        try
        {
            var condition = ParseOr();
            if (Match(TokenKind.Question))
            {
                var whenTrue = ParseExpression();
                Expect(TokenKind.Colon, "':' of the ternary operator");
                var whenFalse = ParseExpression();
                return new TernaryNode(condition, whenTrue, whenFalse);
            }

            if (Match(TokenKind.Elvis))
            {
                return new ElvisNode(condition, ParseExpression());
            }

            return condition;
        }
        finally
        {
            _depth--;
        }
    }

    private Node ParseOr()
    {
        var first = ParseAnd();
        List<Node>? operands = null;
        while (Match(TokenKind.OrOr) || MatchWord("or"))
        {
            (operands ??= [first]).Add(ParseAnd());
        }

        return operands is null ? first : new LogicalNode(isAnd: false, [.. operands]);
    }

    private Node ParseAnd()
    {
        var first = ParseRelational();
        List<Node>? operands = null;
        while (Match(TokenKind.AndAnd) || MatchWord("and"))
        {
            (operands ??= [first]).Add(ParseRelational());
        }

        return operands is null ? first : new LogicalNode(isAnd: true, [.. operands]);
    }

    private Node ParseRelational()
    {
        var left = ParseSum();
        var token = Peek;
        RelationalOperator? op = token.Kind switch
        {
            TokenKind.Eq => RelationalOperator.Eq,
            TokenKind.Ne => RelationalOperator.Ne,
            TokenKind.Lt => RelationalOperator.Lt,
            TokenKind.Le => RelationalOperator.Le,
            TokenKind.Gt => RelationalOperator.Gt,
            TokenKind.Ge => RelationalOperator.Ge,
            TokenKind.Identifier => token.Text.ToLowerInvariant() switch
            {
                "eq" => RelationalOperator.Eq,
                "ne" => RelationalOperator.Ne,
                "lt" => RelationalOperator.Lt,
                "le" => RelationalOperator.Le,
                "gt" => RelationalOperator.Gt,
                "ge" => RelationalOperator.Ge,
                "matches" => RelationalOperator.Matches,
                "instanceof" => throw new ExpressionFailure("the 'instanceof' operator is not allowed"),
                "between" => throw new ExpressionFailure("the 'between' operator is not supported"),
                _ => null,
            },
            _ => null,
        };

        if (op is null)
        {
            return left;
        }

        Next();
        return new RelationalNode(op.Value, left, ParseSum());
    }

    private Node ParseSum()
    {
        var first = ParseProduct();
        List<BinaryOperator>? operators = null;
        List<Node>? operands = null;
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            (operators ??= []).Add(Next().Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract);
            (operands ??= []).Add(ParseProduct());
        }

        return operators is null ? first : new ArithmeticNode(first, [.. operators], [.. operands!]);
    }

    private Node ParseProduct()
    {
        var first = ParsePower();
        List<BinaryOperator>? operators = null;
        List<Node>? operands = null;
        while (true)
        {
            BinaryOperator op;
            if (Match(TokenKind.Star))
            {
                op = BinaryOperator.Multiply;
            }
            else if (Match(TokenKind.Slash) || MatchWord("div"))
            {
                op = BinaryOperator.Divide;
            }
            else if (Match(TokenKind.Percent) || MatchWord("mod"))
            {
                op = BinaryOperator.Modulo;
            }
            else
            {
                break;
            }

            (operators ??= []).Add(op);
            (operands ??= []).Add(ParsePower());
        }

        return operators is null ? first : new ArithmeticNode(first, [.. operators], [.. operands!]);
    }

    private Node ParsePower()
    {
        var left = ParseUnary();
        return Match(TokenKind.Caret) ? new PowerNode(left, ParseUnary()) : left;
    }

    private Node ParseUnary()
    {
        UnaryOperator? op = Peek.Kind switch
        {
            TokenKind.Bang => UnaryOperator.Not,
            TokenKind.Minus => UnaryOperator.Negate,
            TokenKind.Plus => UnaryOperator.Plus,
            TokenKind.Identifier when Peek.IsWord("not") && StartsOperand(PeekAt(1)) => UnaryOperator.Not,
            _ => null,
        };

        if (op is null)
        {
            return ParseChain();
        }

        Next();
        Enter();
        try
        {
            var operand = ParseUnary();
            if (op == UnaryOperator.Negate && operand is LiteralNode { Value: long l })
            {
                return new LiteralNode(-l);
            }

            return new UnaryNode(op.Value, operand);
        }
        finally
        {
            _depth--;
        }
    }

    private static bool StartsOperand(Token token) => token.Kind is TokenKind.Identifier or TokenKind.Variable
        or TokenKind.Integer or TokenKind.Real or TokenKind.String or TokenKind.LParen or TokenKind.LBrace
        or TokenKind.Bang or TokenKind.Minus or TokenKind.Plus;

    private Node ParseChain()
    {
        var head = ParsePrimary();
        List<Step>? steps = null;
        while (true)
        {
            var token = Peek;
            switch (token.Kind)
            {
                case TokenKind.Dot:
                case TokenKind.SafeDot:
                    Next();
                    var name = Next();
                    if (name.Kind != TokenKind.Identifier)
                    {
                        throw name.Kind == TokenKind.End
                            ? new ExpressionFailure($"expected a property or method name after '{token.Text}' but the expression ended")
                            : new ExpressionFailure($"expected a property or method name after '{token.Text}' but found '{Values.Truncate(name.Text, 40)}' at position {name.Position}");
                    }

                    var nullSafe = token.Kind == TokenKind.SafeDot;
                    (steps ??= []).Add(Peek.Kind == TokenKind.LParen
                        ? new MethodStep(CheckMethod(name.Text), ParseArguments(), nullSafe)
                        : new PropertyStep(name.Text, nullSafe));
                    break;
                case TokenKind.LBracket:
                    Next();
                    var index = ParseExpression();
                    Expect(TokenKind.RBracket, "']'");
                    (steps ??= []).Add(new IndexStep(index, (index as IdentifierNode)?.Name));
                    break;
                case TokenKind.SelectAll:
                case TokenKind.SelectFirst:
                case TokenKind.SelectLast:
                case TokenKind.Project:
                    Next();
                    var body = ParseExpression();
                    Expect(TokenKind.RBracket, "']'");
                    var kind = token.Kind switch
                    {
                        TokenKind.SelectAll => SelectionKind.All,
                        TokenKind.SelectFirst => SelectionKind.First,
                        TokenKind.SelectLast => SelectionKind.Last,
                        _ => SelectionKind.Project,
                    };
                    (steps ??= []).Add(new SelectionStep(kind, body));
                    break;
                default:
                    return steps is null ? head : new ChainNode(head, [.. steps]);
            }
        }
    }

    private Node ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Integer:
            case TokenKind.Real:
            case TokenKind.String:
                return new LiteralNode(token.Value);
            case TokenKind.LParen:
                var inner = ParseExpression();
                Expect(TokenKind.RParen, "')'");
                return inner;
            case TokenKind.LBrace:
                return ParseInlineCollection();
            case TokenKind.Variable:
                return ParseVariableOrFunction(token);
            case TokenKind.Identifier:
                return ParseName(token);
            default:
                throw Unexpected(token);
        }
    }

    private Node ParseName(Token token)
    {
        if (token.IsWord("true"))
        {
            return new LiteralNode(true);
        }

        if (token.IsWord("false"))
        {
            return new LiteralNode(false);
        }

        if (token.IsWord("null"))
        {
            return new LiteralNode(null);
        }

        if (token.Text == "T" && Peek.Kind == TokenKind.LParen)
        {
            throw new ExpressionFailure("type references (T(...)) are not allowed");
        }

        if (token.IsWord("new") && Peek.Kind == TokenKind.Identifier)
        {
            return ParseConstructor();
        }

        if (Peek.Kind == TokenKind.LParen)
        {
            // A bare method call applies to #this (the root, or the current selection element).
            var method = new MethodStep(CheckMethod(token.Text), ParseArguments(), nullSafe: false);
            return new ChainNode(new VariableNode(isRoot: false), [method]);
        }

        return new IdentifierNode(token.Text);
    }

    /// <summary>The rest of <c>new a.b.Type(args)</c>: only the types <see cref="JavaIdioms"/> allows parse.</summary>
    private Node ParseConstructor()
    {
        var name = new System.Text.StringBuilder(Next().Text);
        while (Peek.Kind == TokenKind.Dot && PeekAt(1).Kind == TokenKind.Identifier && name.Length < 200)
        {
            Next();
            name.Append('.').Append(Next().Text);
        }
        var type = JavaIdioms.CheckConstructor(name.ToString());
        return new ConstructorNode(type, ParseArguments());
    }

    private Node ParseVariableOrFunction(Token token)
    {
        var name = token.Text;
        if (Peek.Kind == TokenKind.LParen)
        {
            if (!Functions.TryGetArity(name, out var arity))
            {
                throw new ExpressionFailure($"unknown function '#{name}'");
            }

            var args = ParseArguments();
            if (arity != Functions.Variadic && args.Length != arity)
            {
                throw new ExpressionFailure($"function '#{name}' expects {arity} argument(s) but got {args.Length}");
            }

            return new FunctionNode(name, args);
        }

        return name switch
        {
            "this" => new VariableNode(isRoot: false),
            "root" => new VariableNode(isRoot: true),
            _ => throw new ExpressionFailure(Functions.TryGetArity(name, out _)
                ? $"'#{name}' is a function and must be called as '#{name}(...)'"
                : $"unknown variable '#{name}'"),
        };
    }

    private Node[] ParseArguments()
    {
        Expect(TokenKind.LParen, "'('");
        if (Match(TokenKind.RParen))
        {
            return [];
        }

        var args = new List<Node>();
        do
        {
            args.Add(ParseExpression());
        }
        while (Match(TokenKind.Comma));

        Expect(TokenKind.RParen, "')' or ','");
        return [.. args];
    }

    /// <summary>Parses the rest of <c>{...}</c>: an inline list <c>{1,2}</c> or map <c>{'a':1, b:2}</c>; <c>{:}</c> is an empty map.</summary>
    private Node ParseInlineCollection()
    {
        if (Match(TokenKind.RBrace))
        {
            return new ListNode([]);
        }

        if (Peek.Kind == TokenKind.Colon && PeekAt(1).Kind == TokenKind.RBrace)
        {
            Next();
            Next();
            return new MapNode([], [], []);
        }

        var (constantKey, first) = ParseItemOrKey();
        if (!Match(TokenKind.Colon))
        {
            if (constantKey is not null)
            {
                throw new ExpressionFailure("expected ':' after a map key");
            }

            var items = new List<Node> { first! };
            while (Match(TokenKind.Comma))
            {
                items.Add(ParseExpression());
            }

            Expect(TokenKind.RBrace, "'}' or ','");
            return new ListNode([.. items]);
        }

        var constantKeys = new List<string?>();
        var keyExpressions = new List<Node?>();
        var values = new List<Node>();
        while (true)
        {
            constantKeys.Add(constantKey ?? (first as LiteralNode)?.Value as string);
            keyExpressions.Add(constantKeys[^1] is null ? first : null);
            values.Add(ParseExpression());
            if (!Match(TokenKind.Comma))
            {
                break;
            }

            (constantKey, first) = ParseItemOrKey();
            Expect(TokenKind.Colon, "':' after a map key");
        }

        Expect(TokenKind.RBrace, "'}' or ','");
        return new MapNode([.. constantKeys], [.. keyExpressions], [.. values]);
    }

    /// <summary>A bare identifier directly followed by ':' is a constant map key; anything else is an expression.</summary>
    private (string? ConstantKey, Node? Expression) ParseItemOrKey()
    {
        if (Peek.Kind == TokenKind.Identifier && PeekAt(1).Kind == TokenKind.Colon)
        {
            return (Next().Text, null);
        }

        return (null, ParseExpression());
    }

    private static string CheckMethod(string name) =>
        AllowedMethods.Contains(name) ? name : throw new ExpressionFailure($"method '{name}' is not allowed");
}
