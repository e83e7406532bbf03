using System.Collections;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EfficientNet.Sharp.Tests.Deploy;

/// <summary>
/// Parses the Protocol Buffers text format (what Triton's <c>config.pbtxt</c> is) into a message, field by field
/// against the message's descriptor: an unknown field, a value of the wrong type or an unknown enum name is an
/// error, as it is for Triton. The C# protobuf runtime has no text parser; this covers the grammar configs use
/// (scalars, strings, enums, nested messages, <c>[ … ]</c> lists, <c>#</c> comments).
/// </summary>
internal sealed class ProtobufText
{
    private readonly string text;
    private int at;

    private ProtobufText(string text) => this.text = text;

    public static T Parse<T>(string text)
        where T : IMessage<T>, new()
    {
        var message = new T();
        var parser = new ProtobufText(text);
        parser.Fields(message, closing: null);
        return message;
    }

    private void Fields(IMessage message, char? closing)
    {
        while (true)
        {
            SkipSpace();
            if (at >= text.Length)
            {
                if (closing is not null)
                {
                    throw Error($"the message is not closed with '{closing}'");
                }

                return;
            }

            if (closing is char end && text[at] == end)
            {
                at++;
                return;
            }

            string name = Identifier();
            FieldDescriptor field = message.Descriptor.FindFieldByName(name) ?? throw Error($"{message.Descriptor.Name} has no field '{name}'");
            SkipSpace();
            bool colon = Take(':');
            SkipSpace();
            if (Peek() == '[')
            {
                at++;
                if (!field.IsRepeated)
                {
                    throw Error($"'{name}' is not repeated but is given a list");
                }

                while (true)
                {
                    SkipSpace();
                    if (Take(']'))
                    {
                        break;
                    }

                    Add(message, field, Value(field));
                    SkipSpace();
                    if (!Take(','))
                    {
                        SkipSpace();
                        if (!Take(']'))
                        {
                            throw Error("expected ',' or ']'");
                        }

                        break;
                    }
                }
            }
            else
            {
                if (!colon && field.FieldType != FieldType.Message)
                {
                    throw Error($"expected ':' after '{name}'");
                }

                Add(message, field, Value(field));
            }

            SkipSpace();
            _ = Take(',') || Take(';');
        }
    }

    private object Value(FieldDescriptor field)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                if (!Take('{'))
                {
                    throw Error($"'{field.Name}' is a message: expected '{{'");
                }

                IMessage nested = field.MessageType.Parser.ParseFrom(ByteString.Empty);
                Fields(nested, '}');
                return nested;
            case FieldType.String:
                return QuotedString();
            case FieldType.Enum:
                string name = Identifier();
                return field.EnumType.FindValueByName(name)?.Number ?? throw Error($"'{name}' is not a value of {field.EnumType.Name}");
            case FieldType.Bool:
                return Identifier() switch { "true" => true, "false" => false, string other => throw Error($"'{other}' is not a bool") };
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                return int.Parse(Number(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                return long.Parse(Number(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            case FieldType.UInt32 or FieldType.Fixed32:
                return uint.Parse(Number(), NumberStyles.None, CultureInfo.InvariantCulture);
            case FieldType.UInt64 or FieldType.Fixed64:
                return ulong.Parse(Number(), NumberStyles.None, CultureInfo.InvariantCulture);
            case FieldType.Float:
                return float.Parse(Number(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case FieldType.Double:
                return double.Parse(Number(), NumberStyles.Float, CultureInfo.InvariantCulture);
            default:
                throw Error($"field type {field.FieldType} is not read by this parser");
        }
    }

    private static void Add(IMessage message, FieldDescriptor field, object value)
    {
        if (field.IsRepeated)
        {
            ((IList)field.Accessor.GetValue(message)).Add(value);
            return;
        }

        field.Accessor.SetValue(message, value);
    }

    private string Identifier()
    {
        int start = at;
        while (at < text.Length && (char.IsLetterOrDigit(text[at]) || text[at] == '_'))
        {
            at++;
        }

        return at > start ? text[start..at] : throw Error("expected a name");
    }

    private string Number()
    {
        int start = at;
        while (at < text.Length && (char.IsDigit(text[at]) || text[at] is '-' or '+' or '.' or 'e' or 'E'))
        {
            at++;
        }

        return at > start ? text[start..at] : throw Error("expected a number");
    }

    private string QuotedString()
    {
        if (!Take('"'))
        {
            throw Error("expected a quoted string");
        }

        var value = new StringBuilder();
        while (at < text.Length && text[at] != '"')
        {
            char c = text[at++];
            value.Append(c == '\\' && at < text.Length ? text[at++] : c);
        }

        return Take('"') ? value.ToString() : throw Error("the string is not closed");
    }

    private void SkipSpace()
    {
        while (at < text.Length)
        {
            if (char.IsWhiteSpace(text[at]))
            {
                at++;
            }
            else if (text[at] == '#')
            {
                while (at < text.Length && text[at] != '\n')
                {
                    at++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => at < text.Length ? text[at] : '\0';

    private bool Take(char c)
    {
        if (Peek() != c)
        {
            return false;
        }

        at++;
        return true;
    }

    private FormatException Error(string problem) =>
        new($"config.pbtxt, line {text[..Math.Min(at, text.Length)].Count(c => c == '\n') + 1}: {problem}.");
}
