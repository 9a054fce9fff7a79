namespace Toolbar.Panels.Memory;

/// <summary>Live objects of one type.</summary>
/// <param name="TypeId">The runtime's id of the type (stable for the life of the process): the key of diffs.</param>
/// <param name="Type">Type name (not unique: nested and generic names may collide).</param>
/// <param name="Count">Live objects.</param>
/// <param name="Bytes">Total shallow size in bytes.</param>
/// <param name="Toolbar">Whether the type belongs to the snapshot machinery itself (label, not app data).</param>
internal sealed record HeapTypeRow(ulong TypeId, string Type, long Count, long Bytes, bool Toolbar);
