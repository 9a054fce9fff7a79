namespace Toolbar.Internal;

/// <summary>
/// While a store serializes a record (<see cref="Sink"/>) or reads one (<see cref="Source"/>) on this thread, shared
/// snapshots are written as references and resolved from what the store fetched. Outside a store (the JSON API, an
/// export) both are null and snapshots are written inline.
/// </summary>
internal static class SnapshotScope
{
    [ThreadStatic]
    private static Dictionary<string, SharedSnapshot>? t_sink;

    [ThreadStatic]
    private static IReadOnlyDictionary<string, byte[]>? t_source;

    /// <summary>Snapshots referenced by what is being serialized, by hash.</summary>
    public static Dictionary<string, SharedSnapshot>? Sink
    {
        get => t_sink;
        set => t_sink = value;
    }

    /// <summary>Snapshot JSON by hash for what is being read.</summary>
    public static IReadOnlyDictionary<string, byte[]>? Source
    {
        get => t_source;
        set => t_source = value;
    }

    public const string ReferenceProperty = "$snapshot";
}
