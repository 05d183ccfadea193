namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>The operator levels of the grammar, loosest first: conditional, or, and, relational, sum, product, power, unary.</summary>
internal sealed partial class Parser
{
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
}
