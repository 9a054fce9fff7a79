namespace Toolbar.Internal;

internal sealed partial class InjectingBody
{
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
}
