using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Toolbar.Internal;

/// <summary>
/// Response body that streams the app's bytes through and inserts the toolbar snippet before the
/// last <c>&lt;/body&gt;</c>. It decides at the first write (or start, flush, send-file) whether the
/// response is injectable; if not, it is a pass-through. If so it holds back only the bytes from
/// the last <c>&lt;/body&gt;</c> seen (or a possible start of one), so the page is never buffered
/// and time to first byte is kept. Modelled on ASP.NET Core's <c>ResponseCompressionBody</c>.
/// </summary>
internal sealed class InjectingBody : Stream, IHttpResponseBodyFeature
{
    // Bytes after a </body> that we are willing to hold back; past that the tag was not the end of
    // the document (e.g. inside a script string) and we stop holding so memory stays bounded.
    internal const int MaxHeldBytes = 64 * 1024;

    private readonly HttpContext _context;
    private readonly IHttpResponseBodyFeature _inner;
    private readonly Func<ReadOnlyMemory<byte>> _snippet;
    private PipeWriter? _pipeWriter;
    private byte[]? _held;
    private int _heldCount;
    private bool _heldIsCandidate;
    private bool _decided;
    private bool _inject;
    private bool _finished;

    public InjectingBody(HttpContext context, IHttpResponseBodyFeature inner, Func<ReadOnlyMemory<byte>> snippet)
    {
        _context = context;
        _inner = inner;
        _snippet = snippet;
    }

    /// <summary>Whether the response was found injectable (valid once decided).</summary>
    public bool Injecting => _inject;

    /// <summary>Whether the snippet was written.</summary>
    public bool Injected { get; private set; }

    /// <summary>A response that reached us already content-encoded (compression registered inside the toolbar).</summary>
    public bool SawEncodedHtml { get; private set; }

    public Stream Stream => this;

    // The pipe writes to a private target, and Stream writes go through the pipe once it exists, so an app
    // that mixes Body and BodyWriter gets its bytes in order (as it does on Kestrel's own pipe).
    public PipeWriter Writer => _pipeWriter ??= PipeWriter.Create(new PipeTarget(this), new StreamPipeWriterOptions(leaveOpen: true));

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.Stream.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void DisableBuffering() => _inner.DisableBuffering();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Decide();
        await _inner.StartAsync(cancellationToken);
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        if (_pipeWriter is not null && !_finished)
        {
            await _pipeWriter.FlushAsync(cancellationToken);
        }

        Decide();
        if (!_inject)
        {
            await _inner.SendFileAsync(path, offset, count, cancellationToken);
            return;
        }

        await SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);
    }

    public async Task CompleteAsync()
    {
        await FinishAsync(CancellationToken.None);
        await _inner.CompleteAsync();
    }

    /// <summary>Writes what is held back, with the snippet when a <c>&lt;/body&gt;</c> is pending. Idempotent.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        if (_pipeWriter is not null)
        {
            await _pipeWriter.FlushAsync(cancellationToken);
        }

        _finished = true;
        try
        {
            if (_heldCount > 0)
            {
                if (_heldIsCandidate)
                {
                    await _inner.Stream.WriteAsync(_snippet(), cancellationToken);
                    Injected = true;
                }

                await _inner.Stream.WriteAsync(_held.AsMemory(0, _heldCount), cancellationToken);
            }
        }
        finally
        {
            ReturnHeld();
        }
    }

    /// <summary>
    /// Writes what is held back unchanged, without the snippet: the app failed after its response started, and the
    /// bytes it wrote are still its own. Never throws (the app's exception is the one that must surface).
    /// </summary>
    public async Task ReleaseHeldAsync()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        try
        {
            if (_heldCount > 0)
            {
                await _inner.Stream.WriteAsync(_held.AsMemory(0, _heldCount));
            }
        }
        catch (Exception)
        {
            // The connection is broken too; there is nothing left to deliver.
        }
        finally
        {
            ReturnHeld();
        }
    }

    /// <summary>Drops what is held back (the app failed and the response is being replaced or aborted). Never throws.</summary>
    public void Abandon()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        ReturnHeld();
    }

    public override void Flush()
    {
        if (_pipeWriter is not null && !_finished)
        {
            _pipeWriter.FlushAsync().AsTask().GetAwaiter().GetResult();
        }

        FlushDirect();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pipeWriter is not null && !_finished)
        {
            await _pipeWriter.FlushAsync(cancellationToken);
        }

        await FlushDirectAsync(cancellationToken);
    }

    private void FlushDirect()
    {
        Decide();
        _inner.Stream.Flush();
    }

    private Task FlushDirectAsync(CancellationToken cancellationToken)
    {
        Decide();
        return _inner.Stream.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_pipeWriter is not null && !_finished)
        {
            _pipeWriter.Write(buffer);
            _pipeWriter.FlushAsync().AsTask().GetAwaiter().GetResult();
            return;
        }

        WriteDirect(buffer);
    }

    private void WriteDirect(ReadOnlySpan<byte> buffer)
    {
        Decide();
        if (!_inject || _finished)
        {
            _inner.Stream.Write(buffer);
            return;
        }

        // Sync writes are rare (AllowSynchronousIO); share the async logic, which completes synchronously here.
        var copy = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(copy);
            WriteCoreAsync(copy.AsMemory(0, buffer.Length), sync: true, CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_pipeWriter is not null && !_finished)
        {
            return WriteThroughPipeAsync(buffer, cancellationToken);
        }

        return WriteDirectAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteThroughPipeAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _pipeWriter!.WriteAsync(buffer, cancellationToken);
    }

    private ValueTask WriteDirectAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        Decide();
        if (!_inject || _finished)
        {
            return _inner.Stream.WriteAsync(buffer, cancellationToken);
        }

        return WriteCoreAsync(buffer, sync: false, cancellationToken);
    }

    public override IAsyncResult BeginWrite(byte[] buffer, int offset, int count, AsyncCallback? callback, object? state) =>
        TaskToAsyncResult.Begin(WriteAsync(buffer, offset, count, CancellationToken.None), callback, state);

    public override void EndWrite(IAsyncResult asyncResult) => TaskToAsyncResult.End(asyncResult);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnHeld();
        }

        base.Dispose(disposing);
    }

    /// <summary>What the app's <see cref="Writer"/> writes into: the injection logic, bypassing the pipe.</summary>
    private sealed class PipeTarget(InjectingBody body) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => body.FlushDirect();

        public override Task FlushAsync(CancellationToken cancellationToken) => body.FlushDirectAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => body.WriteDirect(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => body.WriteDirect(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            body.WriteDirectAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            body.WriteDirectAsync(buffer, cancellationToken);
    }

    private void Decide()
    {
        if (_decided)
        {
            return;
        }

        _decided = true;
        var response = _context.Response;
        _inject = !response.HasStarted && IsInjectable(_context);
        if (_inject)
        {
            // The body grows by the snippet; let the server frame it (chunked) instead of a wrong length.
            response.ContentLength = null;
        }
        else if (!response.HasStarted && IsHtml(response.ContentType) && IsEncoded(response.Headers.ContentEncoding))
        {
            SawEncodedHtml = true;
        }
    }

    internal static bool IsInjectable(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        var status = response.StatusCode;
        if (status < 200 || status is 204 or 206 or 304)
        {
            return false;
        }

        if (!IsHtml(response.ContentType) || IsEncoded(response.Headers.ContentEncoding))
        {
            return false;
        }

        var disposition = response.Headers.ContentDisposition;
        return disposition.Count == 0 || !disposition.ToString().TrimStart().StartsWith("attachment", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether the body bytes are encoded. <c>identity</c> means "no encoding" (Blazor's streaming rendering sets it to
    /// keep compression from buffering), so such a page is still plain HTML.
    /// </summary>
    internal static bool IsEncoded(Microsoft.Extensions.Primitives.StringValues contentEncoding)
    {
        foreach (var value in contentEncoding)
        {
            foreach (var coding in (value ?? "").Split(','))
            {
                var trimmed = coding.Trim();
                if (trimmed.Length > 0 && !trimmed.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    internal static bool IsHtml(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        if (!media.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // The tag search works on bytes, so only encodings where ASCII is ASCII qualify.
        var charset = media.Charset.Value?.Trim('"');
        if (string.IsNullOrEmpty(charset))
        {
            return true;
        }

        return !(charset.StartsWith("utf-16", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("utf-32", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("ucs-", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("unicode", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("utf-7", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("ibm", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("ebcdic", StringComparison.OrdinalIgnoreCase));
    }

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
