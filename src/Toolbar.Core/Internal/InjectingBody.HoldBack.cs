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

        var tag = BodyTag.LastIndexOf(data.Span);
        if (tag >= 0)
        {
            // A later </body>: everything before it can go; hold from it on.
            await EmitHeldAsync(_heldCount, sync, ct);
            await EmitAsync(data[..tag], sync, ct);
            await HoldOrReleaseAsync(data[tag..], candidate: true, sync, ct);
            return;
        }

        if (_heldCount > 0)
        {
            var straddle = StraddlingTagStart(data.Span);
            if (straddle >= 0)
            {
                await EmitHeldAsync(straddle, sync, ct);
                _heldIsCandidate = true;
                await AppendOrReleaseAsync(data, sync, ct);
                return;
            }

            if (_heldIsCandidate)
            {
                await AppendOrReleaseAsync(data, sync, ct);
                return;
            }
        }

        // No tag pending: pass everything on except a possible start of a tag.
        var partial = PartialSuffixLength(data.Span);
        if (partial <= data.Length)
        {
            await EmitHeldAsync(_heldCount, sync, ct);
            await EmitAsync(data[..^partial], sync, ct);
            Hold(data.Span[^partial..], candidate: false);
        }
        else
        {
            // The held bytes plus this short write may still become a tag.
            var fromHeld = partial - data.Length;
            await EmitHeldAsync(_heldCount - fromHeld, sync, ct);
            Append(data.Span);
        }
    }

    private static bool StartsStreamingUpdate(ReadOnlySpan<byte> data) =>
        data.TrimStart(" \t\r\n"u8).StartsWith("<blazor-ssr>"u8);

    /// <summary>Where, in the held bytes, a tag begins that ends in <paramref name="data"/>; -1 if none.</summary>
    private int StraddlingTagStart(ReadOnlySpan<byte> data)
    {
        var fromHeld = Math.Min(BodyTag.Length - 1, _heldCount);
        var fromData = Math.Min(BodyTag.Length - 1, data.Length);
        Span<byte> window = stackalloc byte[(BodyTag.Length - 1) * 2];
        _held.AsSpan(_heldCount - fromHeld, fromHeld).CopyTo(window);
        data[..fromData].CopyTo(window[fromHeld..]);
        var index = BodyTag.LastIndexOf(window[..(fromHeld + fromData)]);
        return index < 0 || index >= fromHeld ? -1 : _heldCount - fromHeld + index;
    }

    /// <summary>Length of a possible tag start at the end of held + data.</summary>
    private int PartialSuffixLength(ReadOnlySpan<byte> data)
    {
        if (data.Length >= BodyTag.Length - 1 || _heldCount == 0)
        {
            return BodyTag.PartialSuffixLength(data);
        }

        var fromHeld = Math.Min(BodyTag.Length - 1 - data.Length, _heldCount);
        Span<byte> window = stackalloc byte[BodyTag.Length - 1];
        _held.AsSpan(_heldCount - fromHeld, fromHeld).CopyTo(window);
        data.CopyTo(window[fromHeld..]);
        return BodyTag.PartialSuffixLength(window[..(fromHeld + data.Length)]);
    }

    private async ValueTask AppendOrReleaseAsync(ReadOnlyMemory<byte> data, bool sync, CancellationToken ct)
    {
        if (_heldCount + data.Length <= MaxHeldBytes)
        {
            Append(data.Span);
            return;
        }

        // Too much after the tag: it was not the document's end. Release all but a possible tag start.
        var partial = PartialSuffixLength(data.Span);
        _heldIsCandidate = false;
        if (partial <= data.Length)
        {
            await EmitHeldAsync(_heldCount, sync, ct);
            await EmitAsync(data[..^partial], sync, ct);
            Hold(data.Span[^partial..], candidate: false);
        }
        else
        {
            await EmitHeldAsync(_heldCount - (partial - data.Length), sync, ct);
            Append(data.Span);
        }
    }

    private async ValueTask HoldOrReleaseAsync(ReadOnlyMemory<byte> tail, bool candidate, bool sync, CancellationToken ct)
    {
        if (tail.Length <= MaxHeldBytes)
        {
            Hold(tail.Span, candidate);
            return;
        }

        var partial = BodyTag.PartialSuffixLength(tail.Span);
        await EmitAsync(tail[..^partial], sync, ct);
        Hold(tail.Span[^partial..], candidate: false);
    }

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

    private void Hold(ReadOnlySpan<byte> bytes, bool candidate)
    {
        _heldCount = 0;
        _heldIsCandidate = candidate && bytes.Length > 0;
        Append(bytes);
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
