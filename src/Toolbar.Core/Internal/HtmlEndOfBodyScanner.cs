namespace Toolbar.Internal;

/// <summary>
/// A small streaming HTML tokenizer that finds real <c>&lt;/body&gt;</c> end tags: not inside a comment, nor
/// inside the text of <c>script</c>, <c>style</c>, <c>textarea</c> or <c>title</c>, nor inside a quoted attribute
/// value. Case- and whitespace-tolerant (<c>&lt;/BoDy &gt;</c>). Its state carries across chunks, so it sees each
/// byte once and never needs a chunk boundary to fall between tokens. Positions are absolute offsets in the stream.
/// </summary>
internal struct HtmlEndOfBodyScanner
{
    // Names are kept in a ulong (a struct field of the body, no allocation per response): 8 letters fit "textarea".
    private const int MaxName = 8;

    private State _state;
    private long _tagStart;
    private ulong _name;
    private int _nameLength;
    private bool _nameOverflow;
    private bool _endTag;
    private RawKind _pendingRaw;
    private RawKind _raw;
    private int _rawMatched;
    private int _dashes;
    private byte _quote;
    private bool _afterEquals;

    private enum State : byte
    {
        Data,
        TagOpen,
        MarkupOpen,
        MarkupDash,
        Comment,
        Bogus,
        TagName,
        InTag,
        Unquoted,
        RawText,
    }

    private enum RawKind : byte
    {
        None,
        Script,
        Style,
        Textarea,
        Title,
    }

    public HtmlEndOfBodyScanner()
    {
        _state = State.Data;
        _tagStart = -1;
        FoundAt = -1;
    }

    /// <summary>Offset of the <c>&lt;</c> of the last real end-body tag confirmed by the last <see cref="Scan"/>, or -1.</summary>
    public long FoundAt { get; private set; }

    /// <summary>Offset of a <c>&lt;</c> that may still turn into a real end-body tag with the next bytes, or -1.</summary>
    public readonly long PendingAt =>
        _state switch
        {
            State.TagOpen when _raw == RawKind.None => _tagStart,
            State.TagName when _endTag && !_nameOverflow && IsBodyPrefix() => _tagStart,
            _ => -1,
        };

    /// <summary>Whether the stream is a document (a doctype, or an html, head or body tag), not a fragment.</summary>
    public bool SawDocument { get; private set; }

    /// <summary>Reads <paramref name="data"/>, whose first byte is at <paramref name="offset"/> in the stream.</summary>
    public void Scan(ReadOnlySpan<byte> data, long offset)
    {
        FoundAt = -1;
        var i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case State.Data:
                    {
                        // Vectorized skip to the next tag.
                        var lt = data[i..].IndexOf((byte)'<');
                        if (lt < 0)
                        {
                            return;
                        }

                        i += lt;
                        _tagStart = offset + i;
                        _state = State.TagOpen;
                        i++;
                        continue;
                    }

                case State.RawText:
                    {
                        if (_rawMatched == 0)
                        {
                            var lt = data[i..].IndexOf((byte)'<');
                            if (lt < 0)
                            {
                                return;
                            }

                            i += lt;
                            _tagStart = offset + i;
                            _rawMatched = 1;
                            i++;
                            continue;
                        }

                        StepRawEnd(data[i]);
                        i++;
                        continue;
                    }

                case State.Comment:
                    {
                        var b = data[i];
                        if (b == '>' && _dashes >= 2)
                        {
                            _state = State.Data;
                        }

                        _dashes = b == '-' ? _dashes + 1 : 0;
                        i++;
                        continue;
                    }

                case State.Bogus:
                    {
                        var gt = data[i..].IndexOf((byte)'>');
                        if (gt < 0)
                        {
                            return;
                        }

                        i += gt + 1;
                        _state = State.Data;
                        continue;
                    }

                default:
                    Step(data[i], offset + i);
                    i++;
                    continue;
            }
        }
    }

    private void Step(byte b, long position)
    {
        switch (_state)
        {
            case State.TagOpen:
                if (b == '!')
                {
                    _state = State.MarkupOpen;
                }
                else if (b == '/')
                {
                    _state = State.TagName;
                    _endTag = true;
                    _nameLength = 0;
                    _name = 0;
                    _nameOverflow = false;
                }
                else if (IsLetter(b))
                {
                    _state = State.TagName;
                    _endTag = false;
                    _nameLength = 0;
                    _name = 0;
                    _nameOverflow = false;
                    AddNameByte(b);
                }
                else if (b == '?')
                {
                    _state = State.Bogus;
                }
                else
                {
                    // "a < b": text, and this byte may itself start a tag.
                    _state = State.Data;
                    if (b == '<')
                    {
                        _tagStart = position;
                        _state = State.TagOpen;
                    }
                }

                break;

            case State.MarkupOpen:
                if (b == '-')
                {
                    _state = State.MarkupDash;
                }
                else
                {
                    SawDocument |= b is (byte)'d' or (byte)'D';
                    _state = b == '>' ? State.Data : State.Bogus;
                }

                break;

            case State.MarkupDash:
                // "<!--": a comment; its own dashes do not close it ("<!-->" aside, which browsers also treat as empty).
                _state = b == '-' ? State.Comment : (b == '>' ? State.Data : State.Bogus);
                _dashes = 0;
                break;

            case State.TagName:
                if (IsLetter(b) || (_nameLength > 0 && b is >= (byte)'0' and <= (byte)'9'))
                {
                    AddNameByte(b);
                }
                else if (_nameLength == 0)
                {
                    // "</>" is ignored, "</ x" is a bogus comment.
                    _state = b == '>' ? State.Data : State.Bogus;
                }
                else if (IsSpace(b) || b == '/' || b == '>')
                {
                    EndOfName();
                    _state = State.InTag;
                    _quote = 0;
                    _afterEquals = false;
                    if (b == '>')
                    {
                        EndOfTag();
                    }
                }
                else
                {
                    AddNameByte(b);
                }

                break;

            case State.InTag:
                if (_quote != 0)
                {
                    if (b == _quote)
                    {
                        _quote = 0;
                        _afterEquals = false;
                    }
                }
                else if (b == '>')
                {
                    EndOfTag();
                }
                else if (b == '=')
                {
                    _afterEquals = true;
                }
                else if (_afterEquals && (b == '"' || b == '\''))
                {
                    _quote = b;
                }
                else if (_afterEquals && !IsSpace(b))
                {
                    _state = State.Unquoted;
                }

                break;

            case State.Unquoted:
                if (b == '>')
                {
                    EndOfTag();
                }
                else if (IsSpace(b))
                {
                    _state = State.InTag;
                    _afterEquals = false;
                }

                break;
        }
    }

    private void EndOfName()
    {
        _pendingRaw = RawKind.None;
        if (_nameOverflow)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[MaxName];
        var name = NameBytes(buffer);
        if (_endTag)
        {
            if (name.SequenceEqual("body"u8))
            {
                FoundAt = _tagStart;
            }

            return;
        }

        if (name.SequenceEqual("html"u8) || name.SequenceEqual("body"u8) || name.SequenceEqual("head"u8))
        {
            SawDocument = true;
        }

        _pendingRaw = name switch
        {
            _ when name.SequenceEqual("script"u8) => RawKind.Script,
            _ when name.SequenceEqual("style"u8) => RawKind.Style,
            _ when name.SequenceEqual("textarea"u8) => RawKind.Textarea,
            _ when name.SequenceEqual("title"u8) => RawKind.Title,
            _ => RawKind.None,
        };
    }

    private void EndOfTag()
    {
        if (_pendingRaw != RawKind.None)
        {
            _raw = _pendingRaw;
            _pendingRaw = RawKind.None;
            _rawMatched = 0;
            _state = State.RawText;
        }
        else
        {
            _state = State.Data;
        }
    }

    // Inside script/style/textarea/title: only "</name" followed by space, '/' or '>' ends the text.
    private void StepRawEnd(byte b)
    {
        var name = RawName(_raw);
        if (_rawMatched == 1)
        {
            _rawMatched = b == '/' ? 2 : (b == '<' ? 1 : 0);
            return;
        }

        var index = _rawMatched - 2;
        if (index < name.Length)
        {
            _rawMatched = Lower(b) == name[index] ? _rawMatched + 1 : (b == '<' ? 1 : 0);
            return;
        }

        if (IsSpace(b) || b == '/' || b == '>')
        {
            _raw = RawKind.None;
            _rawMatched = 0;
            _endTag = true;
            _pendingRaw = RawKind.None;
            _quote = 0;
            _afterEquals = false;
            _state = State.InTag;
            if (b == '>')
            {
                EndOfTag();
            }

            return;
        }

        _rawMatched = b == '<' ? 1 : 0;
    }

    private static ReadOnlySpan<byte> RawName(RawKind kind) => kind switch
    {
        RawKind.Script => "script"u8,
        RawKind.Style => "style"u8,
        RawKind.Textarea => "textarea"u8,
        _ => "title"u8,
    };

    private readonly bool IsBodyPrefix()
    {
        Span<byte> buffer = stackalloc byte[MaxName];
        return "body"u8.StartsWith(NameBytes(buffer));
    }

    private readonly Span<byte> NameBytes(Span<byte> buffer)
    {
        for (var i = 0; i < _nameLength; i++)
        {
            buffer[i] = (byte)(_name >> (8 * i));
        }

        return buffer[.._nameLength];
    }

    private void AddNameByte(byte b)
    {
        if (_nameLength < MaxName)
        {
            _name |= (ulong)Lower(b) << (8 * _nameLength);
            _nameLength++;
        }
        else
        {
            _nameOverflow = true;
        }
    }

    private static byte Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f';
}
