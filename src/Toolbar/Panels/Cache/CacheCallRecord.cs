using System.Diagnostics;

namespace Toolbar.Panels.Cache;

/// <summary>A cache call as captured while the request runs (raw: the stack is resolved only if somebody reads the record).</summary>
internal sealed record CacheCallRecord(
    string Backend,
    string Operation,
    string Key,
    bool? Hit,
    long? SizeBytes,
    long StartTimestamp,
    long EndTimestamp,
    string? Via,
    StackTrace? Stack);
