namespace Toolbar.Panels.Memory;

/// <summary>A heap snapshot that could not be taken completely; the message says why, for the panel.</summary>
internal sealed class HeapSnapshotException : Exception
{
    public HeapSnapshotException(string message)
        : base(message)
    {
    }

    public HeapSnapshotException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
