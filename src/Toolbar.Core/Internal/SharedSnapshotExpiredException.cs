namespace Toolbar.Internal;

/// <summary>A record refers to a shared snapshot the store no longer has.</summary>
internal sealed class SharedSnapshotExpiredException(string hash)
    : Exception($"{SharedSnapshotExpiredException.Marker} (snapshot {hash}): this record's shared data (the same for many requests) expired from the store before the record did. The rest of the record is intact.")
{
    public const string Marker = "shared data expired";

    public string Hash { get; } = hash;
}
