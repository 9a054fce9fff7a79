using System.Runtime.CompilerServices;

namespace Toolbar.Panels.Memory;

/// <summary>
/// Every type any kept snapshot has seen, once: id, name and whether it is the toolbar's own. Snapshots refer
/// to types by index into this table. Names are kept as characters inside blocks of this assembly's own type
/// (not as one string object per type), so a heap diff attributes their memory to the toolbar, not to the app.
/// </summary>
internal sealed class HeapTypeTable
{
    /// <summary>Longest name kept whole; longer generic names are cut (they stay unique by type id).</summary>
    internal const int MaxNameLength = NameBlock.Size;

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, int> _byId = [];
    private readonly List<NameBlock> _blocks = [];
    private TypeEntry[] _entries = new TypeEntry[256];
    private int _count;
    private int _blockUsed = NameBlock.Size;

    /// <summary>Types in the table.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds a type, or updates its name and label; returns its index (stable for the table's life).</summary>
    public int Intern(ulong typeId, ReadOnlySpan<char> name, bool toolbar)
    {
        if (name.Length > MaxNameLength)
        {
            name = name[..MaxNameLength];
        }

        lock (_lock)
        {
            if (_byId.TryGetValue(typeId, out var index))
            {
                ref var entry = ref _entries[index];
                entry.Toolbar = toolbar;
                if (!NameOf(entry).SequenceEqual(name))
                {
                    (entry.Block, entry.Start) = Append(name);
                    entry.Length = name.Length;
                }

                return index;
            }

            if (_count == _entries.Length)
            {
                Array.Resize(ref _entries, _count * 2);
            }

            var (block, start) = Append(name);
            _entries[_count] = new TypeEntry { TypeId = typeId, Block = block, Start = start, Length = name.Length, Toolbar = toolbar };
            _byId[typeId] = _count;
            return _count++;
        }
    }

    /// <summary>What the table knows of a type id from earlier snapshots.</summary>
    public bool TryGet(ulong typeId, out int index, out bool toolbar)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(typeId, out index))
            {
                toolbar = _entries[index].Toolbar;
                return true;
            }

            toolbar = false;
            return false;
        }
    }

    public ulong TypeIdAt(int index)
    {
        lock (_lock)
        {
            return _entries[index].TypeId;
        }
    }

    public bool ToolbarAt(int index)
    {
        lock (_lock)
        {
            return _entries[index].Toolbar;
        }
    }

    /// <summary>The type's name, as a new string (callers use it briefly: a JSON answer, a rendered row).</summary>
    public string NameAt(int index)
    {
        lock (_lock)
        {
            return new string(NameOf(_entries[index]));
        }
    }

    private ReadOnlySpan<char> NameOf(in TypeEntry entry) =>
        ((ReadOnlySpan<char>)_blocks[entry.Block].Chars).Slice(entry.Start, entry.Length);

    private (int Block, int Start) Append(ReadOnlySpan<char> name)
    {
        if (NameBlock.Size - _blockUsed < name.Length)
        {
            _blocks.Add(new NameBlock());
            _blockUsed = 0;
        }

        var start = _blockUsed;
        name.CopyTo(((Span<char>)_blocks[^1].Chars)[start..]);
        _blockUsed += name.Length;
        return (_blocks.Count - 1, start);
    }

    private struct TypeEntry
    {
        public ulong TypeId;
        public int Block;
        public int Start;
        public int Length;
        public bool Toolbar;
    }

    /// <summary>A fixed run of name characters, stored inline in an object of this assembly's own type.</summary>
    private sealed class NameBlock
    {
        public const int Size = 8192;

        public CharBuffer Chars;

        [InlineArray(Size)]
        public struct CharBuffer
        {
            private char _first;
        }
    }
}
