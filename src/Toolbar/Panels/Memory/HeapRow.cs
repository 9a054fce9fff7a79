namespace Toolbar.Panels.Memory;

/// <summary>Live objects of one type, as a snapshot keeps them: 24 bytes, no object of its own.</summary>
/// <param name="TypeIndex">Index of the type in the snapshot's <see cref="HeapTypeTable"/>.</param>
/// <param name="Count">Live objects.</param>
/// <param name="Bytes">Total shallow size in bytes.</param>
internal readonly record struct HeapRow(int TypeIndex, long Count, long Bytes);
