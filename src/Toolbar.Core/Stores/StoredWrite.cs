namespace Toolbar.Stores;

/// <summary>One value that <see cref="DistributedToolbarStore"/> writes: a record or a shared snapshot.</summary>
/// <param name="Key">The cache key.</param>
/// <param name="Json">The UTF-8 JSON to keep.</param>
/// <param name="ExpiresAt">When the value expires (absolute).</param>
public sealed record StoredWrite(string Key, byte[] Json, DateTimeOffset ExpiresAt);
