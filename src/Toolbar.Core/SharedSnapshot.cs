using System.Security.Cryptography;
using System.Text.Json;
using Toolbar.Internal;

namespace Toolbar;

/// <summary>
/// Panel data that is the same for many requests (the app's configuration, its route map): one immutable value that
/// many records reference instead of each keeping a copy. Stores keep it once: the in-memory store counts its bytes
/// once toward <see cref="ToolbarOptions.MaxStoreBytes"/>, a distributed store writes it once under its content hash
/// and each record refers to the hash. Reading a record resolves the reference, so the JSON API shows the data inline,
/// exactly as if it had never been shared. Use <see cref="SharedSnapshot{T}"/>.
/// </summary>
/// <remarks>
/// Never change the value once it is in a snapshot: build a new snapshot instead (and keep reusing one instance while
/// the value stays the same, which is what makes sharing cheap). The value's JSON and hash are computed once, on first
/// use, with the toolbar's JSON options.
/// </remarks>
public abstract class SharedSnapshot
{
    private byte[]? _json;
    private string? _hash;

    private protected SharedSnapshot()
    {
    }

    private protected SharedSnapshot(string hash, byte[] json)
    {
        _hash = hash;
        _json = json;
    }

    /// <summary>The shared value.</summary>
    public abstract object BoxedValue { get; }

    /// <summary>The type the value is serialized as.</summary>
    public abstract Type ValueType { get; }

    /// <summary>Content hash of the value's JSON (32 lowercase hex digits): its identity in a store.</summary>
    public string Hash
    {
        get
        {
            EnsureJson();
            return _hash!;
        }
    }

    /// <summary>Size of the value's JSON in bytes: what a store counts for it, once.</summary>
    public long Size => Json.Length;

    /// <summary>The value as UTF-8 JSON (computed once).</summary>
    internal ReadOnlyMemory<byte> Json
    {
        get
        {
            EnsureJson();
            return _json!;
        }
    }

    private void EnsureJson()
    {
        if (Volatile.Read(ref _hash) is not null)
        {
            return;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(BoxedValue, ValueType, ToolbarJson.Options);
        var hash = HashOf(json);
        // Two threads may compute it at once; both results are equal, so either one may win.
        Interlocked.CompareExchange(ref _json, json, null);
        Volatile.Write(ref _hash, hash);
    }

    // The records of one app add the same snapshots in the same order, request after request: the arrays they keep are
    // immutable, so each snapshot remembers the last array it extended and the result, and records share them.
    private Extension<SharedSnapshot>? _extended;
    private Extension<KeyValuePair<string, SharedSnapshot>>? _extendedAsPanel;

    /// <summary><paramref name="list"/> with this snapshot added (an array shared with the other records that made the same step).</summary>
    internal SharedSnapshot[] AddedTo(SharedSnapshot[] list) => Extension<SharedSnapshot>.Add(ref _extended, list, this, static (a, b) => ReferenceEquals(a, b));

    /// <summary><paramref name="list"/> with this snapshot added as <paramref name="panelId"/>'s whole data (shared like <see cref="AddedTo(SharedSnapshot[])"/>).</summary>
    internal KeyValuePair<string, SharedSnapshot>[] AddedTo(KeyValuePair<string, SharedSnapshot>[] list, string panelId) =>
        Extension<KeyValuePair<string, SharedSnapshot>>.Add(ref _extendedAsPanel, list, new(panelId, this),
            static (a, b) => string.Equals(a.Key, b.Key, StringComparison.Ordinal) && ReferenceEquals(a.Value, b.Value));

    private sealed class Extension<T>(T[] from, T item, T[] to)
    {
        private readonly T[] _from = from;
        private readonly T _item = item;
        private readonly T[] _to = to;

        public static T[] Add(ref Extension<T>? last, T[] list, T item, Func<T, T, bool> same)
        {
            if (Volatile.Read(ref last) is { } known && ReferenceEquals(known._from, list) && same(known._item, item))
            {
                return known._to;
            }

            T[] extended = [.. list, item];
            Volatile.Write(ref last, new Extension<T>(list, item, extended));
            return extended;
        }
    }

    internal static string HashOf(ReadOnlySpan<byte> json) => Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, 16));
}
