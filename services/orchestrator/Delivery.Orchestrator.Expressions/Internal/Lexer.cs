using System.Globalization;
using System.Text;

namespace Delivery.Orchestrator.Expressions.Internal;

internal enum TokenKind
{
    End,
    Identifier,
    Variable,       // #name
    Integer,
    Real,
    String,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Dot,
    SafeDot,        // ?.
    Question,       // ?
    Elvis,          // ?:
    SelectAll,      // .?[
    SelectFirst,    // .^[
    SelectLast,     // .$[
    Project,        // .![
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    AndAnd,
    OrOr,
    Bang,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Position, object? Value = null)
{
    public bool IsWord(string word) =>
        Kind == TokenKind.Identifier && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Hand-written tokenizer for the SpEL subset.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text, Deadline deadline)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            if ((tokens.Count & 255) == 0)
            {
                deadline.Check();
            }

            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, i));
                return tokens;
            }

            var start = i;
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            var third = i + 2 < text.Length ? text[i + 2] : '\0';

            if (IsIdentifierStart(c))
            {
                i++;
                while (i < text.Length && IsIdentifierPart(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }

            switch (c)
            {
                case '\'':
                case '"':
                    tokens.Add(ReadString(text, ref i));
                    continue;
                case '#':
                    i++;
                    while (i < text.Length && IsIdentifierPart(text[i]))
                    {
                        i++;
                    }

                    if (i == start + 1)
                    {
                        throw new ExpressionFailure($"expected a function or variable name after '#' at position {start}");
                    }

                    tokens.Add(new Token(TokenKind.Variable, text[(start + 1)..i], start));
                    continue;
                case '.':
                    if (third == '[' && next is '?' or '^' or '$' or '!')
                    {
                        var kind = next switch
                        {
                            '?' => TokenKind.SelectAll,
                            '^' => TokenKind.SelectFirst,
                            '$' => TokenKind.SelectLast,
                            _ => TokenKind.Project,
                        };
                        i += 3;
                        tokens.Add(new Token(kind, text[start..i], start));
                        continue;
                    }

                    i++;
                    tokens.Add(new Token(TokenKind.Dot, ".", start));
                    continue;
                case '?':
                    if (next == '.')
                    {
                        i += 2;
                        tokens.Add(new Token(TokenKind.SafeDot, "?.", start));
                    }
                    else if (next == ':')
                    {
                        i += 2;
                        tokens.Add(new Token(TokenKind.Elvis, "?:", start));
                    }
                    else
                    {
                        i++;
                        tokens.Add(new Token(TokenKind.Question, "?", start));
                    }

                    continue;
                case '=':
                    if (next == '=')
                    {
                        i += 2;
                        tokens.Add(new Token(TokenKind.Eq, "==", start));
                        continue;
                    }

                    throw new ExpressionFailure($"assignment ('=') is not allowed (position {start})");
                case '!':
                    if (next == '=')
                    {
                        i += 2;
                        tokens.Add(new Token(TokenKind.Ne, "!=", start));
                    }
                    else
                    {
                        i++;
                        tokens.Add(new Token(TokenKind.Bang, "!", start));
                    }

                    continue;
                case '<':
                case '>':
                    var orEqual = next == '=';
                    i += orEqual ? 2 : 1;
                    var relational = c == '<'
                        ? (orEqual ? TokenKind.Le : TokenKind.Lt)
                        : (orEqual ? TokenKind.Ge : TokenKind.Gt);
                    tokens.Add(new Token(relational, text[start..i], start));
                    continue;
                case '&':
                    if (next == '&')
                    {
                        i += 2;
                        tokens.Add(new Token(TokenKind.AndAnd, "&&", start));
                        continue;
                    }

                    throw new ExpressionFailure($"bean references ('&') are not allowed (position {start})");
                case '|':
                    if (next == '|')
                    {
                        i += 2;
                        tokens.Add(new Token(TokenKind.OrOr, "||", start));
                        continue;
                    }

                    throw new ExpressionFailure($"unexpected character '|' at position {start}");
                case '@':
                    throw new ExpressionFailure($"bean references ('@') are not allowed (position {start})");
                case '+':
                case '-':
                    if (next == c)
                    {
                        throw new ExpressionFailure($"increment and decrement operators are not allowed (position {start})");
                    }

                    i++;
                    tokens.Add(new Token(c == '+' ? TokenKind.Plus : TokenKind.Minus, c.ToString(), start));
                    continue;
                default:
                    var single = c switch
                    {
                        '(' => TokenKind.LParen,
                        ')' => TokenKind.RParen,
                        '[' => TokenKind.LBracket,
                        ']' => TokenKind.RBracket,
                        '{' => TokenKind.LBrace,
                        '}' => TokenKind.RBrace,
                        ',' => TokenKind.Comma,
                        ':' => TokenKind.Colon,
                        '*' => TokenKind.Star,
                        '/' => TokenKind.Slash,
                        '%' => TokenKind.Percent,
                        '^' => TokenKind.Caret,
                        _ => TokenKind.End,
                    };
                    if (single == TokenKind.End)
                    {
                        throw new ExpressionFailure($"unexpected character '{Printable(c)}' at position {start}");
                    }

                    i++;
                    tokens.Add(new Token(single, c.ToString(), start));
                    continue;
            }
        }
    }

    private static string Printable(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString();

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '$';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static Token ReadString(string text, ref int i)
    {
        var start = i;
        var quote = text[i];
        i++;
        var sb = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
            {
                throw new ExpressionFailure($"unterminated string literal starting at position {start}");
            }

            var c = text[i];
            if (c == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    sb.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                break;
            }

            sb.Append(c);
            i++;
        }

        return new Token(TokenKind.String, text[start..i], start, sb.ToString());
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X')
        {
            i += 2;
            var digitsStart = i;
            while (i < text.Length && char.IsAsciiHexDigit(text[i]))
            {
                i++;
            }

            if (i == digitsStart ||
                !long.TryParse(text.AsSpan(digitsStart, i - digitsStart), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                throw new ExpressionFailure($"invalid hexadecimal literal at position {start}");
            }

            SkipLongSuffix(text, ref i);
            RejectIdentifierTail(text, i, start);
            return new Token(TokenKind.Integer, text[start..i], start, hex);
        }

        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var isReal = false;
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            isReal = true;
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-')
            {
                j++;
            }

            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                isReal = true;
                i = j;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }

        var literal = text[start..i];
        if (i < text.Length && text[i] is 'd' or 'D' or 'f' or 'F')
        {
            isReal = true;
            i++;
        }
        else if (!isReal)
        {
            SkipLongSuffix(text, ref i);
        }

        RejectIdentifierTail(text, i, start);

        if (isReal)
        {
            if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            {
                throw new ExpressionFailure($"invalid number literal '{Values.Truncate(literal, 40)}' at position {start}");
            }

            return new Token(TokenKind.Real, text[start..i], start, d);
        }

        if (!long.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new ExpressionFailure($"integer literal '{Values.Truncate(literal, 40)}' at position {start} is out of range");
        }

        return new Token(TokenKind.Integer, text[start..i], start, value);
    }

    private static void SkipLongSuffix(string text, ref int i)
    {
        if (i < text.Length && text[i] is 'l' or 'L')
        {
            i++;
        }
    }

    private static void RejectIdentifierTail(string text, int i, int start)
    {
        if (i < text.Length && IsIdentifierPart(text[i]))
        {
            throw new ExpressionFailure($"invalid number literal at position {start}");
        }
    }
}
