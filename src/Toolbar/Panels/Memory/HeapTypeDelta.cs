namespace Toolbar.Panels.Memory;

/// <summary>Change of one type between two snapshots.</summary>
internal sealed record HeapTypeDelta(ulong TypeId, string Type, long CountDelta, long BytesDelta, long CountBefore, long CountAfter, bool Toolbar);
