namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>Operands: member chains, literals, names, variables and functions, arguments and inline lists and maps; the method allow-list check.</summary>
internal sealed partial class Parser
{
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
