using System.Buffers;

namespace Toolbar.Internal;

/// <summary>The hold-back logic: what may go out now, and what must wait because it may be (or follow) the last <c>&lt;/body&gt;</c>.</summary>
internal sealed partial class InjectingBody
{
    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, bool sync, CancellationToken ct)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (_heldIsCandidate && StartsStreamingUpdate(data.Span))
        {
            // Blazor's streaming rendering appends <blazor-ssr> updates after the finished document while the response
            // stays open: the document's </body> is the last one, and holding it back would hold every update too.
            await EmitAsync(_snippet(), sync, ct);
            Injected = true;
            _inject = false;
            await EmitHeldAsync(_heldCount, sync, ct);
            await EmitAsync(data, sync, ct);
            return;
        }

        // Held bytes are always the last ones seen: they start at _seen - _heldCount.
        var dataStart = _seen;
        var heldStart = dataStart - _heldCount;
        _scanner.Scan(data.Span, dataStart);
        _seen += data.Length;

        long keepFrom;
        bool candidate;
        if (_scanner.FoundAt >= 0)
        {
            // A later real </body>: everything before it can go; hold from it on.
            keepFrom = _scanner.FoundAt;
            candidate = true;
        }
        else if (_heldIsCandidate)
        {
            keepFrom = heldStart;
            candidate = true;
        }
        else
        {
            keepFrom = _seen;
            candidate = false;
        }

        if (candidate && _seen - keepFrom > MaxHeldBytes)
        {
            // Too much after the tag: it was not the document's end. Stop holding, memory stays bounded.
            keepFrom = _seen;
            candidate = false;
        }

        if (!candidate && _scanner.PendingAt >= 0)
        {
            // A "</bo" at the end may become the tag with the next write.
            keepFrom = _scanner.PendingAt;
        }

        var fromHeld = (int)Math.Min(keepFrom - heldStart, _heldCount);
        await EmitHeldAsync(fromHeld, sync, ct);
        if (keepFrom > dataStart)
        {
            var split = (int)(keepFrom - dataStart);
            await EmitAsync(data[..split], sync, ct);
            Append(data.Span[split..]);
        }
        else
        {
            Append(data.Span);
        }

        _heldIsCandidate = candidate && _heldCount > 0;
    }

    private static bool StartsStreamingUpdate(ReadOnlySpan<byte> data) =>
        data.TrimStart(" \t\r\n"u8).StartsWith("<blazor-ssr>"u8);

    /// <summary>Writes the first <paramref name="count"/> held bytes and keeps the rest.</summary>
    private async ValueTask EmitHeldAsync(int count, bool sync, CancellationToken ct)
    {
        if (count <= 0)
        {
            return;
        }

        await EmitAsync(_held.AsMemory(0, count), sync, ct);
        var rest = _heldCount - count;
        if (rest > 0)
        {
            Buffer.BlockCopy(_held!, count, _held!, 0, rest);
        }

        _heldCount = rest;
        if (rest == 0)
        {
            _heldIsCandidate = false;
        }
    }

    private ValueTask EmitAsync(ReadOnlyMemory<byte> bytes, bool sync, CancellationToken ct)
    {
        if (bytes.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        if (sync)
        {
            _inner.Stream.Write(bytes.Span);
            return ValueTask.CompletedTask;
        }

        return _inner.Stream.WriteAsync(bytes, ct);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var needed = _heldCount + bytes.Length;
        if (_held is null || _held.Length < needed)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 256));
            if (_held is not null)
            {
                Buffer.BlockCopy(_held, 0, bigger, 0, _heldCount);
                ArrayPool<byte>.Shared.Return(_held);
            }

            _held = bigger;
        }

        bytes.CopyTo(_held.AsSpan(_heldCount));
        _heldCount = needed;
    }

    private void ReturnHeld()
    {
        if (_held is not null)
        {
            ArrayPool<byte>.Shared.Return(_held);
            _held = null;
        }

        _heldCount = 0;
        _heldIsCandidate = false;
    }
}
