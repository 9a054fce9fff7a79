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
internal sealed partial class InjectingBody : Stream, IHttpResponseBodyFeature
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
    private HtmlEndOfBodyScanner _scanner = new();
    private long _seen;
    private bool _decided;
    private bool _inject;
    private bool _finished;

    public InjectingBody(HttpContext context, IHttpResponseBodyFeature inner, Func<ReadOnlyMemory<byte>> snippet)
    {
        _context = context;
        _inner = inner;
        _snippet = snippet;
    }

    /// <summary>Whether the snippet was written.</summary>
    public bool Injected { get; private set; }

    /// <summary>A response that reached us already content-encoded (compression registered inside the toolbar).</summary>
    public bool SawEncodedHtml { get; private set; }

    public Stream Stream => this;

    // The pipe writes to a private target, and Stream writes go through the pipe once it exists, so an app
    // that mixes Body and BodyWriter gets its bytes in order (as it does on Kestrel's own pipe).
    public PipeWriter Writer
    {
        get
        {
            if (_pipeWriter is null && IsPassThrough())
            {
                // Nothing to inject (a JSON API, say): the app writes to the server's own pipe, as if we were not here.
                return _inner.Writer;
            }

            return _pipeWriter ??= PipeWriter.Create(new PipeTarget(this), new StreamPipeWriterOptions(leaveOpen: true));
        }
    }

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
            if (_heldCount > 0 && _heldIsCandidate)
            {
                await _inner.Stream.WriteAsync(_snippet(), cancellationToken);
                Injected = true;
            }

            if (_heldCount > 0)
            {
                await _inner.Stream.WriteAsync(_held.AsMemory(0, _heldCount), cancellationToken);
            }

            if (!Injected && _inject && _scanner.SawDocument)
            {
                // A document with no real </body> (it may be omitted, or only appear inside a script string): at the
                // end, where browsers put it into the body. A fragment (no doctype, html, head or body tag) stays as is.
                await _inner.Stream.WriteAsync(_snippet(), cancellationToken);
                Injected = true;
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

    /// <summary>
    /// Whether this response is known not to be injected: decided so already, or its content type is set and is not
    /// HTML. An app that sets a non-HTML type and later turns the response into HTML gets it without the toolbar,
    /// unchanged: the safe side.
    /// </summary>
    private bool IsPassThrough()
    {
        if (!_decided && _context.Response.ContentType is { Length: > 0 } contentType && !Injectability.IsHtml(contentType))
        {
            _decided = true;
            _inject = false;
        }

        return _decided && !_inject;
    }

    private void Decide()
    {
        if (_decided)
        {
            return;
        }

        _decided = true;
        var response = _context.Response;
        _inject = !response.HasStarted && Injectability.IsInjectable(_context);
        if (_inject)
        {
            // The body grows by the snippet; let the server frame it (chunked) instead of a wrong length.
            response.ContentLength = null;
        }
        else if (!response.HasStarted && Injectability.IsHtml(response.ContentType) && Injectability.IsEncoded(response.Headers.ContentEncoding))
        {
            SawEncodedHtml = true;
        }
    }
}
